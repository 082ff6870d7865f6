package org.rumsessions.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line reader on real files of the local file system, plain and gzip, whole and in ranges. */
class JsonLinesTest {
  private static final Configuration CONF = new Configuration();
  @TempDir Path dir;

  private static List<String> lines(JsonLines.Split split, boolean[] sourceFailed) throws IOException {
    List<String> out = new ArrayList<>();
    try (JsonLines.Lines lines = JsonLines.open(split, CONF, sourceFailed)) {
      for (Text t = lines.next(); t != null; t = lines.next()) {
        out.add(new String(t.getBytes(), 0, t.getLength(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static JsonLines.Split whole(Path p, boolean gzip) throws IOException {
    return new JsonLines.Split(p.toUri().toString(), 1, 0, Files.size(p), gzip);
  }

  private static byte[] gzip(byte[]... members) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] m : members) {
      try (OutputStream out = new GZIPOutputStream(all) {
        @Override
        public void close() throws IOException {
          finish(); // one member after the other in the same stream
        }
      }) {
        out.write(m);
      }
    }
    return all.toByteArray();
  }

  /** Every line ending, a byte order mark, blank lines, a long line and multi-byte characters. */
  private static final String TEXT =
      "\uFEFF{\"a\":1}\n{\"b\":2}\r\n{\"c\":3}\r{\"d\":\"é€😀\"}\n\n\r\n  \n{\"e\":\"" + "x".repeat(300) + "\"}\r\r\n{\"f\":6}";

  private static final List<String> EXPECTED =
      List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}", "{\"d\":\"é€😀\"}", "", "", "  ", "{\"e\":\"" + "x".repeat(300) + "\"}", "", "{\"f\":6}");

  @Test
  void plainFileLinesEndAtLfCrLfOrCrAndLoseTheByteOrderMark() throws IOException {
    Path p = Files.write(dir.resolve("a.jsonl"), TEXT.getBytes(StandardCharsets.UTF_8));
    assertEquals(EXPECTED, lines(whole(p, false), new boolean[1]));
  }

  /** Ranges of every size, cut anywhere (inside a CR LF, inside a character): every line once. */
  @Test
  void rangesOfAnySizeTogetherReadEveryLineExactlyOnce() throws IOException {
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    Path p = Files.write(dir.resolve("a.jsonl"), bytes);
    for (int size = 1; size <= bytes.length; size++) {
      List<String> all = new ArrayList<>();
      for (long start = 0; start < bytes.length; start += size) {
        all.addAll(lines(new JsonLines.Split(p.toUri().toString(), 1, start, Math.min(size, bytes.length - start), false), new boolean[1]));
      }
      assertEquals(EXPECTED, all, "ranges of " + size + " bytes");
    }
  }

  @Test
  void gzipFilesAreReadWholeWithTheSameLineRulesAndEveryMember() throws IOException {
    byte[] bytes = TEXT.getBytes(StandardCharsets.UTF_8);
    int half = 40;
    Path p = Files.write(dir.resolve("A.JSONL.GZ"), gzip(Arrays.copyOfRange(bytes, 0, half), Arrays.copyOfRange(bytes, half, bytes.length)));
    assertEquals(EXPECTED, lines(whole(p, true), new boolean[1]));
  }

  @Test
  void aGzipFileCutShortGivesItsCompleteLinesThenFailsAsDamagedData() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      b.append("{\"n\":").append(i).append(",\"pad\":\"").append(Integer.toHexString(i * 7919)).append("\"}\n");
    }
    byte[] full = gzip(b.toString().getBytes(StandardCharsets.UTF_8));
    Path p = Files.write(dir.resolve("cut.jsonl.gz"), Arrays.copyOf(full, full.length * 3 / 5));
    boolean[] sourceFailed = new boolean[1];
    List<String> read = new ArrayList<>();
    IOException e =
        assertThrows(IOException.class, () -> {
          try (JsonLines.Lines lines = JsonLines.open(whole(p, true), CONF, sourceFailed)) {
            for (Text t = lines.next(); t != null; t = lines.next()) {
              read.add(t.toString());
            }
          }
        });
    assertFalse(sourceFailed[0], "the file system did its part: " + e);
    assertTrue(read.size() > 100 && read.size() < 2000, "lines before the cut: " + read.size());
    for (int i = 0; i < read.size(); i++) {
      assertTrue(read.get(i).startsWith("{\"n\":" + i + ","), "line " + i + " is whole and in order: " + read.get(i));
    }
    String detail = JsonLines.unreadableDetail(e, read.size());
    assertTrue(detail.contains("after " + String.format("%,d", read.size()) + " lines"), detail);
    assertTrue(detail.contains(e.getClass().getSimpleName()), detail);
  }

  @Test
  void aGzipNameOnTextFailsAsDamagedDataBeforeAnyLine() throws IOException {
    Path p = Files.write(dir.resolve("plain.json.gz"), "{\"a\":1}\n".getBytes(StandardCharsets.UTF_8));
    boolean[] sourceFailed = new boolean[1];
    assertThrows(IOException.class, () -> lines(whole(p, true), sourceFailed));
    assertFalse(sourceFailed[0]);
  }

  @Test
  void aMissingFileIsAFailureOfTheStorageNotOfItsData() {
    JsonLines.Split gone = new JsonLines.Split(dir.resolve("gone.json.gz").toUri().toString(), 1, 0, 10, true);
    assertThrows(java.io.FileNotFoundException.class, () -> lines(gone, new boolean[1]));
  }

  @Test
  void thePlanSplitsPlainFilesPacksSmallOnesAndReadsGzipWhole() {
    LocalDate d = LocalDate.parse("2026-11-26");
    List<InputFiles.InputFile> files = List.of(
        new InputFiles.InputFile("file:/in/date=2026-11-26/big.jsonl", 250, 0, d),
        new InputFiles.InputFile("file:/in/date=2026-11-26/big.jsonl.GZ", 250, 0, d),
        new InputFiles.InputFile("file:/in/date=2026-11-26/empty.jsonl", 0, 0, d),
        new InputFiles.InputFile("file:/in/date=2026-11-26/s1.jsonl", 10, 0, d),
        new InputFiles.InputFile("file:/in/date=2026-11-26/s2.jsonl", 10, 0, d));
    List<List<JsonLines.Split>> tasks = JsonLines.plan(files, 100, 4);
    List<JsonLines.Split> splits = tasks.stream().flatMap(List::stream).toList();
    assertArrayEquals(new long[] {0, 100, 200}, splits.stream().filter(s -> s.path.endsWith("big.jsonl")).mapToLong(s -> s.start).sorted().toArray());
    assertEquals(1, splits.stream().filter(s -> s.path.endsWith(".GZ")).filter(s -> s.gzip && s.length == 250).count());
    assertTrue(splits.stream().noneMatch(s -> s.path.endsWith("empty.jsonl")), "an empty file holds no record");
    assertTrue(tasks.stream().anyMatch(t -> t.size() > 1), "small ranges share a task: " + tasks);
    assertEquals((int) d.toEpochDay(), splits.get(0).inputDay);
  }

  @Test
  void aGzipFileIsPlannedByTheJsonItHoldsSoItRunsAloneAndEarly() {
    // Compressed, each gzip file is smaller than the plain ones; expanded, it is the largest work.
    LocalDate d = LocalDate.parse("2026-11-26");
    List<InputFiles.InputFile> files = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      files.add(new InputFiles.InputFile("file:/in/date=2026-11-26/p" + i + ".jsonl", 90, 0, d));
      files.add(new InputFiles.InputFile("file:/in/date=2026-11-26/g" + i + ".jsonl.gz", 15, 0, d));
    }
    files.add(new InputFiles.InputFile("file:/in/date=2026-11-26/small.jsonl", 5, 0, d));
    List<List<JsonLines.Split>> tasks = JsonLines.plan(files, 100, 4);
    for (int i = 0; i < 3; i++) {
      assertEquals(1, tasks.get(i).size(), "a gzip file is a task of its own: " + tasks);
      assertTrue(tasks.get(i).get(0).gzip, "gzip files go first: " + tasks);
    }
    List<InputFiles.InputFile> reversed = new java.util.ArrayList<>(files);
    java.util.Collections.reverse(reversed);
    assertEquals(tasks.toString(), JsonLines.plan(reversed, 100, 4).toString(), "the same listing in another order, the same plan");
  }
}
