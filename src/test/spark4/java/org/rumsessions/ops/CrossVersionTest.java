package org.rumsessions.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The same generated input sessionized by both builds, each through its launcher as users run it:
 * the default one (Spark 3.5, Scala 2.12, Delta 3.3, ANSI mode off) and the spark4 one (Spark 4.0,
 * Scala 2.13, Delta 4.0, ANSI mode on). Every table must hold the same rows; only run ids and run
 * times may differ.
 *
 * <p>Compiled and run by the spark4 profile only. The default build comes from target/, which
 * jobs/rum-sessions builds first when it is missing or older than the sources.
 */
class CrossVersionTest {
  private static final Duration LIMIT = Duration.ofMinutes(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TABLES = List.of("user_sessions", "user_events", "rejected_events", "pipeline_runs", "input_files");

  @Test
  void sparkThreeAndSparkFourWriteTheSameRows() throws Exception {
    Path tmp = Files.createTempDirectory("rum-cross-version");
    Path logs = tmp.resolve("logs");
    Path raw = tmp.resolve("raw");
    Processes.Result generated = launcher(logs, "generate", "4", tmp, "generate", "--out", raw.toString(),
        "--from", "2026-11-24", "--days", "2", "--sessions-per-day", "200", "--seed", "10");
    assertEquals(0, generated.exit(), generated.describe());

    // The warehouse path is relative, so that the configuration recorded in pipeline_runs is the
    // same text for both runs, each in its own folder.
    Path config = tmp.resolve("rum.yaml");
    Files.writeString(config, String.join("\n",
        "input: {path: " + raw + "}",
        "warehouse: {path: warehouse}",
        "spark:",
        "  master: local[2]",
        "  conf: {spark.sql.shuffle.partitions: \"2\", spark.ui.enabled: \"false\"}",
        ""));
    List<String> queries = new ArrayList<>();
    queries.add("SET spark.sql.ansi.enabled");
    for (String t : TABLES) {
      queries.add("SELECT '" + t + "' AS table_name, * FROM " + t);
    }

    Map<String, Map<String, List<String>>> byLine = new TreeMap<>();
    Map<String, String> ansi = new TreeMap<>();
    for (String line : List.of("3", "4")) {
      Path dir = Files.createDirectories(tmp.resolve("spark" + line));
      Processes.Result run = launcher(logs, "sessionize-" + line, line, dir,
          "sessionize", "--config", config.toString(), "--from", "2026-11-24", "--to", "2026-11-25");
      assertEquals(0, run.exit(), "Spark line " + line + ": " + run.describe());
      List<String> sql = new ArrayList<>(List.of("sql", "--config", config.toString(), "--format", "json"));
      sql.addAll(queries);
      Processes.Result rows = launcher(logs, "sql-" + line, line, dir, sql.toArray(String[]::new));
      assertEquals(0, rows.exit(), "Spark line " + line + ": " + rows.describe());
      Map<String, List<String>> tables = new TreeMap<>();
      for (String json : rows.out().split("\n")) {
        ObjectNode o = (ObjectNode) JSON.readTree(json);
        if (o.has("key")) {
          ansi.put(line, o.get("value").asText());
          continue;
        }
        String table = o.remove("table_name").asText();
        o.remove(List.of("run_id", "started_at", "ended_at"));
        tables.computeIfAbsent(table, k -> new ArrayList<>()).add(JSON.writeValueAsString(o));
      }
      tables.values().forEach(Collections::sort);
      byLine.put(line, tables);
    }

    assertEquals(Map.of("3", "false", "4", "true"), ansi, "each line runs with its own ANSI default");
    for (String table : TABLES) {
      List<String> three = byLine.get("3").getOrDefault(table, List.of());
      List<String> four = byLine.get("4").getOrDefault(table, List.of());
      assertFalse(three.isEmpty(), table + " is empty");
      assertEquals(three.size(), four.size(), table + ": row counts differ between Spark 3.5 and Spark 4.0");
      for (int i = 0; i < three.size(); i++) {
        assertEquals(three.get(i), four.get(i), table + ": rows differ between Spark 3.5 and Spark 4.0");
      }
    }
    assertTrue(byLine.get("3").get("rejected_events").size() > 10, "the generated input has corrupt lines");
  }

  /** One launcher command on a Spark line, run in {@code dir}. */
  private static Processes.Result launcher(Path logs, String name, String line, Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", Processes.ROOT.resolve("jobs/rum-sessions").toString()));
    cmd.addAll(List.of(args));
    // This build is current (Maven just compiled it); the default one is built when it is not.
    Map<String, String> env = line.equals("4")
        ? Map.of("RUM_SPARK", "4", "RUM_SESSIONS_NO_BUILD", "1", "JAVA_OPTS", "-Xmx1g")
        : Map.of("RUM_SPARK", "3", "JAVA_OPTS", "-Xmx1g");
    ProcessBuilder pb = Processes.builder(logs, name, env, cmd).directory(dir.toFile());
    Process p = pb.start();
    if (!p.waitFor(LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      Processes.stop(p);
      throw new AssertionError(name + " did not finish within " + LIMIT + ": " + Processes.read(logs, name).describe());
    }
    Processes.Result r = Processes.read(logs, name);
    return new Processes.Result(p.exitValue(), r.out(), r.err());
  }
}
