package org.rumsessions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private PipelineConfig load(String yaml) throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, yaml);
    return PipelineConfig.resolve(ConfigLoader.load(f), ConfigFlags.NONE, Needs.INPUT_AND_WAREHOUSE);
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void defaultsFollowTheDataModel() throws IOException {
    PipelineConfig c = load("input: {path: in}\nwarehouse: {path: wh}\n");
    assertEquals(Duration.ofMinutes(30), c.session().timeout());
    assertEquals(Duration.ofHours(6), c.session().maxDuration());
    assertEquals(0.05, c.quality().maxRejectedFraction());
    assertEquals(InputFormat.JSON, c.input().format());
  }

  @Test
  void theShippedFilesAreValid() {
    Path root = Path.of(System.getProperty("rum.project.dir", "."));
    for (String file : new String[] {"conf/local.yaml", "conf/cluster.example.yaml", "conf/s3.example.yaml"}) {
      PipelineConfig.resolve(ConfigLoader.load(root.resolve(file)), ConfigFlags.NONE, Needs.INPUT_AND_WAREHOUSE);
    }
  }

  @Test
  void aYamlSyntaxErrorIsPlacedWithoutQuotingTheLineWhichMayHoldASecret() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nspark:\n  conf:\n"
        + "    spark.hadoop.fs.s3a.secret.key: \"wJalrXUtnFEMI/K7MDENG\n");
    assertTrue(m.contains("not valid YAML near line "), m);
    assertTrue(!m.contains("wJalrXUtnFEMI"), m);

    String colon = error("input: {path: in}\nwarehouse: {path: wh}\nspark:\n  conf:\n"
        + "    spark.hadoop.fs.s3a.secret.key: wJalrXUtnFEMI/K7MDENG: x\n");
    assertTrue(colon.contains("line 5,"), colon);
    assertTrue(!colon.contains("wJalrXUtnFEMI"), colon);
  }

  @Test
  void aLoginInAPathIsRefusedWithoutRepeatingIt() {
    String m = error("input: {path: \"s3a://AKIAEXAMPLE:wJalrXUtnFEMI@rum-raw/events\"}\nwarehouse: {path: wh}\n");
    assertTrue(m.startsWith("input.path: ") && m.contains("never in a path"), m);
    assertTrue(!m.contains("wJalrXUtnFEMI") && !m.contains("AKIAEXAMPLE"), m);
    String w = error("input: {path: in}\nwarehouse: {path: \"gs://user:pw@rum-wh/rum\"}\n");
    assertTrue(w.startsWith("warehouse.path: "), w);
  }

  @Test
  void anAzureContainerAtItsAccountIsNoLogin() throws IOException {
    PipelineConfig c = load("input: {path: \"abfss://raw@rumdata.dfs.core.windows.net/events\"}\n"
        + "warehouse: {path: \"hdfs://namenode:8020/rum\"}\n");
    assertEquals("abfss://raw@rumdata.dfs.core.windows.net/events", c.input().path());
  }

  @Test
  void unknownKeyIsNamedWithTheAllowedKeys() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nsession: {timeot: 30m}\n");
    assertTrue(m.contains("session.timeot"), m);
    assertTrue(m.contains("max-duration") && m.contains("timeout"), m);
  }

  @Test
  void unknownTopLevelKeyIsNamed() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nsesion: {}\n");
    assertTrue(m.contains("'sesion'"), m);
  }

  @Test
  void wrongTypeNamesTheKey() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nsession: {max-properties: many}\n");
    assertTrue(m.contains("session.max-properties") && m.contains("whole number"), m);
  }

  @Test
  void badValuesNameTheKeyAndWhatIsAllowed() {
    assertTrue(error("input: {path: in, format: csv}\nwarehouse: {path: wh}\n").contains("json, parquet, delta"));
    assertTrue(error("input: {path: in}\nwarehouse: {path: wh}\nsession: {timeout: soon}\n").contains("session.timeout"));
    assertTrue(error("input: {path: in}\nwarehouse: {path: wh}\nsession: {timeout: 0m}\n").contains("greater than zero"));
    assertTrue(error("input: {path: in}\nwarehouse: {path: wh}\nquality: {max-rejected-fraction: 1.5}\n").contains("from 0 to 1"));
    assertTrue(error("warehouse: {path: wh}\n").contains("input.path"));
  }

  @Test
  void durationsTakeUnitsAndIso() {
    assertEquals(Duration.ofMinutes(45), Durations.parse("k", "45m"));
    assertEquals(Duration.ofHours(6), Durations.parse("k", "PT6H"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("k", "90s"));
  }

  @Test
  void aKeyWithoutAValueIsNamed() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nsession:\n  timeout:\n");
    assertTrue(m.contains("session.timeout") && m.contains("no value"), m);
  }

  @Test
  void aSparkSettingWithoutAValueIsNamed() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nspark:\n  conf:\n    spark.sql.shuffle.partitions:\n");
    assertTrue(m.contains("spark.conf.spark.sql.shuffle.partitions"), m);
  }

  @Test
  void anEmptySectionTakesTheDefaults() throws IOException {
    PipelineConfig c = load("input: {path: in}\nwarehouse: {path: wh}\nsession:\nspark:\n  conf:\n");
    assertEquals(Duration.ofMinutes(30), c.session().timeout());
    assertTrue(c.spark().conf().isEmpty());
  }

  @Test
  void aDurationTooLongToRepresentNamesItsKey() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nsession: {timeout: 99999999999999999999999m}\n");
    assertTrue(m.contains("session.timeout"), m);
    m = error("input: {path: in}\nwarehouse: {path: wh}\nsession: {max-duration: 999999999999999999d}\n");
    assertTrue(m.contains("session.max-duration"), m);
  }

  @Test
  void aFlagWinsOverTheFileAndTheFileOverTheDefault() throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "input: {path: in, format: parquet}\nwarehouse: {path: wh}\n");
    PipelineConfig fromFile = PipelineConfig.resolve(ConfigLoader.load(f), ConfigFlags.NONE, Needs.INPUT_AND_WAREHOUSE);
    assertEquals("in", fromFile.input().path());
    assertEquals(InputFormat.PARQUET, fromFile.input().format());
    assertEquals(PipelineConfig.DEFAULT_MAX_PROPERTIES, fromFile.session().maxProperties());
    PipelineConfig flagged =
        PipelineConfig.resolve(ConfigLoader.load(f), new ConfigFlags("other", "delta", "wh2"), Needs.INPUT_AND_WAREHOUSE);
    assertEquals("other", flagged.input().path());
    assertEquals(InputFormat.DELTA, flagged.input().format());
    assertEquals("wh2", flagged.warehouse().path());
  }

  @Test
  void commandsOnTheWarehouseNeedNoInput() throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "warehouse: {path: wh}\n");
    PipelineConfig c = PipelineConfig.resolve(ConfigLoader.load(f), ConfigFlags.NONE, Needs.WAREHOUSE);
    assertEquals(null, c.input().path());
    String m =
        assertThrows(ConfigException.class, () -> PipelineConfig.resolve(ConfigLoader.load(f), ConfigFlags.NONE, Needs.INPUT_AND_WAREHOUSE))
            .getMessage();
    assertTrue(m.contains("input.path"), m);
  }

  @Test
  void theRunRecordNeverShowsASecret() throws IOException {
    PipelineConfig c =
        load("input: {path: in}\nwarehouse: {path: wh}\nspark:\n  conf:\n    spark.hadoop.fs.s3a.secret.key: hunter2\n"
            + "    spark.hadoop.fs.s3a.access.key: AKIAEXAMPLE\n    spark.sql.shuffle.partitions: \"8\"\n");
    String json = c.toJson();
    assertTrue(!json.contains("hunter2") && !json.contains("AKIAEXAMPLE"), json);
    assertTrue(json.contains("\"spark.sql.shuffle.partitions\":\"8\""), json);
  }
}
