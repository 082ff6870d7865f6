package org.rumsessions.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.PipelineConfig;

/** The configuration a run records in pipeline_runs.config: everything but credentials. */
class RunRecordTest {
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
        new PipelineConfig(null, null, null, null, new PipelineConfig.Spark(null, null, conf))
            .withInputPath("s3a://rum-raw/events")
            .withWarehousePath("s3a://rum-wh/rum");

    String json = RunRecord.configJson(config);
    JsonNode recorded = new ObjectMapper().readTree(json).path("spark").path("conf");
    for (String name : secrets.keySet()) {
      assertEquals("(redacted)", recorded.path(name).asText(), name);
    }
    assertFalse(json.contains("SECRET"), json);
    kept.forEach((name, value) -> assertEquals(value, recorded.path(name).asText(), name));
    assertEquals("s3a://rum-raw/events", new ObjectMapper().readTree(json).at("/input/path").asText());
    List<String> names = new ArrayList<>();
    recorded.fieldNames().forEachRemaining(names::add);
    assertEquals(new ArrayList<>(new TreeSet<>(conf.keySet())), names, "in name order, the same text on every run");
  }
}
