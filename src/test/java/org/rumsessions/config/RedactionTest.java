package org.rumsessions.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration a run records in pipeline_runs.config: everything but credentials. */
class RedactionTest {
  @Test
  void credentialsOfEveryObjectStoreAreRedactedAndTheRestKept() throws Exception {
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("spark.hadoop.fs.s3a.access.key", "AKIA-SECRET-1");
    secrets.put("spark.hadoop.fs.s3a.secret.key", "SECRET-2");
    secrets.put("spark.hadoop.fs.s3a.bucket.rum-raw.secret.key", "SECRET-3");
    secrets.put("spark.hadoop.fs.s3a.session.token", "SECRET-4");
    secrets.put("spark.hadoop.fs.s3a.encryption.key", "SECRET-5");
    secrets.put("spark.hadoop.fs.azure.account.key.rumdata.dfs.core.windows.net", "SECRET-6");
    secrets.put("spark.hadoop.fs.azure.account.oauth2.client.secret", "SECRET-7");
    secrets.put("spark.hadoop.fs.gs.auth.service.account.private.key", "SECRET-8");
    secrets.put("spark.hadoop.fs.azure.sas.fixed.token", "SECRET-9");
    secrets.put("spark.hadoop.fs.s3a.bucket.rum-raw.endpoint", "https://user:SECRET-10@s3.example.net");
    Map<String, String> kept = Map.of(
        "spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000",
        "spark.hadoop.fs.s3a.path.style.access", "true",
        "spark.sql.shuffle.partitions", "8");
    Map<String, String> conf = new LinkedHashMap<>(secrets);
    conf.putAll(kept);
    PipelineConfig config =
        PipelineConfig.of("s3a://rum-raw/events", "s3a://rum-wh/rum").with(new PipelineConfig.Spark("local[2]", "rum-sessions", conf));

    String json = config.toJson();
    JsonNode recorded = new ObjectMapper().readTree(json).path("spark").path("conf");
    for (String name : secrets.keySet()) {
      assertEquals("(redacted)", recorded.path(name).asText(), name);
    }
    assertFalse(json.contains("SECRET"), json);
    kept.forEach((name, value) -> assertEquals(value, recorded.path(name).asText(), name));
    assertEquals("s3a://rum-raw/events", new ObjectMapper().readTree(json).at("/input/path").asText());
  }

  @Test
  void sparkIsGivenTheSameListForItsOwnOutput() {
    // Spark matches spark.redaction.regex anywhere in a name or a value, as Redaction.hides does.
    java.util.regex.Pattern spark = java.util.regex.Pattern.compile(Redaction.REGEX);
    for (String name : new String[] {"spark.hadoop.fs.azure.account.key.rumdata.dfs.core.windows.net", "spark.hadoop.fs.s3a.secret.key"}) {
      assertEquals(true, spark.matcher(name).find(), name);
    }
    assertEquals(Redaction.REGEX, org.rumsessions.common.SparkSessions.defaults().get("spark.redaction.regex"));
  }
}
