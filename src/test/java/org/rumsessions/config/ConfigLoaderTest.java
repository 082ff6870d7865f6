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
    return ConfigLoader.validate(ConfigLoader.load(f));
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void defaultsFollowTheDataModel() throws IOException {
    PipelineConfig c = load("input: {path: in}\nwarehouse: {path: wh}\n");
    assertEquals(Duration.ofMinutes(30), c.session().timeoutDuration());
    assertEquals(Duration.ofHours(6), c.session().maxDurationValue());
    assertEquals(0.05, c.quality().maxRejectedFraction());
    assertEquals(InputFormat.JSON, c.input().inputFormat());
  }

  @Test
  void theShippedFilesAreValid() {
    Path root = Path.of(System.getProperty("rum.project.dir", "."));
    ConfigLoader.validate(ConfigLoader.load(root.resolve("conf/local.yaml")));
    ConfigLoader.validate(ConfigLoader.load(root.resolve("conf/cluster.example.yaml")));
    ConfigLoader.validate(ConfigLoader.load(root.resolve("conf/s3.example.yaml")));
  }

  @Test
  void aYamlSyntaxErrorIsPlacedWithoutQuotingTheLineWhichMayHoldASecret() {
    String m = error("input: {path: in}\nwarehouse: {path: wh}\nspark:\n  conf:\n"
        + "    spark.hadoop.fs.s3a.secret.key: \"wJalrXUtnFEMI/K7MDENG\n");
    assertTrue(m.contains("not valid YAML at line "), m);
    assertTrue(!m.contains("wJalrXUtnFEMI"), m);

    String colon = error("input: {path: in}\nwarehouse: {path: wh}\nspark:\n  conf:\n"
        + "    spark.hadoop.fs.s3a.secret.key: wJalrXUtnFEMI/K7MDENG: x\n");
    assertTrue(colon.contains("line 5"), colon);
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
}
