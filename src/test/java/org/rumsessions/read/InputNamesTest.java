package org.rumsessions.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rumsessions.config.InputFormat;

/** Which names are read, which are gzip, and which date a file belongs to. */
class InputNamesTest {

  @ParameterizedTest
  @CsvSource({
    "a.json, true, false",
    "a.jsonl, true, false",
    "a.json.gz, true, true",
    "a.jsonl.gz, true, true",
    "UPPER.JSONL.GZ, true, true",
    "Mixed.Json.Gz, true, true",
    "a.JSON, true, false",
    "a.gz, false, true",
    "a.json.crc, false, false",
    ".a.json.crc, false, false",
    ".a.json, false, false",
    "_SUCCESS, false, false",
    "_a.json, false, false",
    "a.json.part, false, false",
    "a.parquet, false, false",
    "a.txt, false, false"
  })
  void jsonLinesNamesIgnoreCaseForBothListingAndGzip(String name, boolean read, boolean gzip) {
    assertEquals(read, InputNames.isRecordFile(name, InputFormat.JSON), name);
    assertEquals(gzip, InputNames.isGzip(name), name);
  }

  @Test
  void parquetNamesAreParquetOnly() {
    assertTrue(InputNames.isRecordFile("part-0.parquet", InputFormat.PARQUET));
    assertTrue(InputNames.isRecordFile("PART-0.PARQUET", InputFormat.PARQUET));
    assertFalse(InputNames.isRecordFile("part-0.json", InputFormat.PARQUET));
    assertFalse(InputNames.isRecordFile("_common_metadata", InputFormat.PARQUET));
    assertFalse(InputNames.isRecordFile(".part-0.parquet.crc", InputFormat.PARQUET));
  }

  @Test
  void thePartitionDateComesFromThePathBelowTheRootOnly() {
    LocalDate d = LocalDate.parse("2026-11-26");
    String root = "file:/lake/date=2020-01-01/rum";
    assertEquals(d, InputFiles.partitionDate(root, root + "/date=2026-11-26/a.jsonl"));
    assertEquals(d, InputFiles.partitionDate(root, root + "/date=2026-11-26/hour=07/a.jsonl"));
    assertEquals(d, InputFiles.partitionDate(root + "/", root + "/date=2026-11-26/a.jsonl"));
    assertEquals(d, InputFiles.partitionDate("file:///lake/date=2020-01-01/rum", root + "/date=2026-11-26/a.jsonl"));
    assertEquals(d, InputFiles.partitionDate("/lake/date=2020-01-01/rum", root + "/date=2026-11-26/a.jsonl"));
    assertNull(InputFiles.partitionDate(root, root + "/a.jsonl"), "directly under the root");
    assertNull(InputFiles.partitionDate(root, root + "/other/date=2026-11-26/a.jsonl"), "a date folder must be the first level");
    assertNull(InputFiles.partitionDate(root, root + "/date=2026-13-01/a.jsonl"), "no such date");
    assertNull(InputFiles.partitionDate(root, root + "/date=2026-11-26x/a.jsonl"));
    assertNull(InputFiles.partitionDate(root, "file:/lake/date=2020-01-01/other/date=2026-11-26/a.jsonl"), "not below the root");
    assertNull(InputFiles.partitionDate(root, root + "/date=2026-11-26"), "the folder itself is no file of it");
  }
}
