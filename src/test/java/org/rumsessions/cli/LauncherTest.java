package org.rumsessions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rumsessions.testing.RawEvents.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkLine;

/**
 * The command line end to end, through jobs/rum-sessions as users and the checks run it, on the
 * Spark line of the build under test (RUM_SPARK).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LauncherTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root = Path.of(System.getProperty("rum.project.dir", ".")).toAbsolutePath();
  private Path tmp;
  private Path config;
  private Path warehouse;

  record Result(int code, List<String> out, List<String> err) {
    String lastErr() {
      return err.isEmpty() ? "" : err.get(err.size() - 1);
    }
  }

  @BeforeAll
  void writeInput() throws IOException {
    tmp = Files.createTempDirectory("cli");
    warehouse = Files.createDirectories(root.resolve("target/launcher-test")).resolve("wh-" + System.nanoTime());
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    List<Object> day = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      day.add(event("s" + (i % 3), "e" + i, String.format("2026-11-26T10:%02d:00.5Z", i),
          "characteristics.has_request", true, "http.response.status_code", i % 5 == 0 ? 503 : 200,
          "client.ip", "198.51.100." + i, "dt.rum.user_tag", "person" + i));
    }
    day.add("{not json");
    raw.write("2026-11-26", "a.jsonl", day);
    raw.write("2026-11-27", "a.jsonl", List.of(event("late", "z", "2026-11-27T09:00:00Z")));
    config = tmp.resolve("test.yaml");
    Files.writeString(config, String.join("\n",
        "input: {path: " + tmp.resolve("raw") + "}",
        // Relative to the folder the launcher runs in, as in conf/local.yaml.
        "warehouse: {path: " + root.relativize(warehouse) + "}",
        "spark:",
        "  master: local[2]",
        "  conf: {spark.sql.shuffle.partitions: \"2\", spark.ui.enabled: \"false\"}",
        ""));
  }

  private Result run(String... args) throws Exception {
    return run(Map.of(), args);
  }

  private Result run(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("jobs/rum-sessions").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    pb.environment().put("RUM_SESSIONS_NO_BUILD", "1");
    pb.environment().put("RUM_SPARK", SparkLine.RUM_SPARK);
    pb.environment().put("JAVA_OPTS", "-Xmx1g");
    pb.environment().putAll(env);
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("launcher did not finish: " + cmd);
    }
    return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readAllLines(err, StandardCharsets.UTF_8));
  }

  /**
   * The class archive: recorded once, apart from the run that asks for it, which then maps it
   * (Spark's classes come from the archive, the project's from target/classes); sql maps it too;
   * runs with Java Flight Recorder on, which makes the JVM read the class file of every archived
   * class it loads (JDK 17 crashed on the versioned classes of log4j's multi-release jars), map it
   * and give the same answers; RUM_SESSIONS_CDS=0 runs without it, with the same report.
   */
  @Test
  void commandsRecordAClassArchiveOfTheDependenciesAndMapItAlsoWithFlightRecorderOn() throws Exception {
    Path cds = Files.createDirectories(SparkLine.buildDir(root).resolve("cds"));
    try (var files = Files.list(cds)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("(classes|batch|sql)-.*")).toList()) {
        Files.delete(f);
      }
    }
    Path loads = tmp.resolve("archive-class-load.log");
    String fromArchive = "org.apache.spark.sql.SparkSession source: shared objects file";
    String logLoads = " -Xlog:class+load=info:file=" + loads;
    Map<String, String> env = Map.of("RUM_SESSIONS_CDS", "record", "JAVA_OPTS", "-Xmx1g" + logLoads);
    Path wh = tmp.resolve("wh-cds");
    Result recorded = run(env, sessionizeInto(wh));
    assertEquals(0, recorded.code(), String.join("\n", recorded.err()));
    assertTrue(String.join("\n", recorded.err()).contains("rum-sessions: class archive recorded in"), String.join("\n", recorded.err()));
    try (var files = Files.list(cds)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().matches("classes-\\d+\\.jsa")), "an archive in " + cds);
    }
    assertTrue(Files.readString(loads).contains(fromArchive), "the run maps the archive it recorded");
    assertTrue(Files.readString(loads).contains("org.rumsessions.cli.RumSessions source: file:"), "the project's own classes stay out of it");

    String[] query = {"sql", "--config", config.toString(), "--warehouse", wh.toString(), "--format", "csv", "SELECT count(*) AS sessions FROM user_sessions"};
    Result sql = run(Map.of("JAVA_OPTS", "-Xmx1g" + logLoads), query);
    assertEquals(0, sql.code(), String.join("\n", sql.err()));
    assertTrue(Files.readString(loads).contains(fromArchive), "sql maps the archive");

    Map<String, String> recorder = Map.of("JAVA_OPTS", "-Xmx1g -XX:StartFlightRecording=filename=" + tmp.resolve("run.jfr") + logLoads);
    Result withRecorder = run(recorder, sessionizeInto(tmp.resolve("wh-jfr")));
    assertEquals(0, withRecorder.code(), String.join("\n", withRecorder.out()) + String.join("\n", withRecorder.err()));
    assertTrue(Files.readString(loads).contains(fromArchive), "a run with Flight Recorder on maps the archive");
    assertEquals(report(recorded), report(withRecorder));
    Result sqlWithRecorder = run(recorder, query);
    assertEquals(0, sqlWithRecorder.code(), String.join("\n", sqlWithRecorder.out()) + String.join("\n", sqlWithRecorder.err()));
    assertEquals(sql.out(), withoutJvmLog(sqlWithRecorder.out()));

    Map<String, String> off = Map.of("RUM_SESSIONS_CDS", "0", "JAVA_OPTS", "-Xmx1g" + logLoads);
    Result without = run(off, sessionizeInto(tmp.resolve("wh-no-cds")));
    assertEquals(0, without.code(), String.join("\n", without.err()));
    assertFalse(Files.readString(loads).contains(fromArchive), "RUM_SESSIONS_CDS=0 runs without the archive");
    assertEquals(report(recorded), report(without));
  }

  private String[] sessionizeInto(Path wh) {
    return new String[] {"sessionize", "--config", config.toString(), "--warehouse", wh.toString(), "--date", "2026-11-26"};
  }

  /** The run report's counts, without its run id and its seconds. */
  private static List<String> report(Result r) {
    return withoutJvmLog(r.out()).stream().filter(l -> !l.contains(" run ") && !l.strip().startsWith("seconds")).toList();
  }

  /** Standard output without the JVM's own log lines (Flight Recorder announces itself there). */
  private static List<String> withoutJvmLog(List<String> out) {
    return out.stream().filter(l -> !l.matches("\\[\\d+\\.\\d+s\\]\\[.*")).toList();
  }

  @Test
  void sessionizeThenQueryAsJsonLines() throws Exception {
    Result s = run("sessionize", "--config", config.toString(), "--from", "2026-11-26", "--to", "2026-11-26");
    assertEquals(0, s.code(), String.join("\n", s.err()));
    String report = String.join("\n", s.out());
    assertTrue(report.contains("records read            31"), report);
    assertTrue(report.contains("malformed_record 1"), report);
    assertTrue(report.contains("sessions written        3"), report);
    String all = String.join("\n", s.out()) + String.join("\n", s.err());
    assertFalse(all.contains("198.51.100."), "client IPs never reach the output or logs");
    assertFalse(all.contains("person1"), "user tags never reach the output or logs");

    Result q = run("sql", "--config", config.toString(), "--format", "json",
        "SELECT * FROM user_sessions ORDER BY dt.rum.session.id");
    assertEquals(0, q.code(), String.join("\n", q.err()));
    assertEquals(3, q.out().size(), "only JSON Lines on standard output: " + q.out());
    JsonNode first = JSON.readTree(q.out().get(0));
    assertEquals("s0", first.at("/dt/rum/session/id").asText());
    assertEquals("2026-11-26T10:00:00.500Z", first.get("start_time").asText());
    assertEquals("2026-11-26T10:27:00.500Z", first.get("end_time").asText());
    assertEquals(10, first.get("event_count").asInt());
    assertEquals(2, first.at("/error/http_5xx_count").asInt());
    assertEquals("2026-11-26", first.get("date").asText());
    assertTrue(first.has("session_properties") && first.at("/browser/name").isNull());
    // privacy.client-ip is mask by default: 198.51.100.0 to .29 all become 198.51.100.0.
    assertEquals("198.51.100.0", first.at("/client/ip").asText());
    assertFalse(String.join("\n", q.out()).matches("(?s).*198\\.51\\.100\\.[1-9].*"), "no address as received in user_sessions");

    Result csv = run("sql", "--config", config.toString(), "--format", "csv",
        "SELECT reason, count(*) AS n FROM rejected_events GROUP BY reason");
    assertEquals(List.of("reason,n", "malformed_record,1"), csv.out());

    Result catalog = run("sql", "--config", config.toString(), "--format", "csv", "--database", "rum",
        "SELECT count(*) AS n FROM rum.user_sessions");
    assertEquals(List.of("n", "3"), catalog.out(), String.join("\n", catalog.err()));

    // The 27th's folder was only read around the range: --changed picks it up, then finds nothing.
    Result changed = run("sessionize", "--config", config.toString(), "--changed");
    assertEquals(0, changed.code(), String.join("\n", changed.err()));
    String changedReport = String.join("\n", changed.out());
    assertTrue(changedReport.contains("sessionize 2026-11-27 ") && changedReport.contains("new input files"), changedReport);
    Result again = run("sessionize", "--config", config.toString(), "--changed");
    assertEquals(0, again.code());
    assertTrue(String.join("\n", again.out()).contains("nothing changed"), again.out().toString());
  }

  @Test
  void tooManyRejectedRecordsExitWithThreeAndWriteNothing() throws Exception {
    Path strict = tmp.resolve("strict.yaml");
    Files.writeString(strict, Files.readString(config).replace("warehouse: {path: " + root.relativize(warehouse),
        "warehouse: {path: " + tmp.resolve("wh-strict")) + "quality: {max-rejected-fraction: 0.01}\n");
    Result r = run("sessionize", "--config", strict.toString(), "--date", "2026-11-26");
    assertEquals(3, r.code(), String.join("\n", r.err()));
    assertTrue(r.lastErr().startsWith("rum-sessions: too many rejected records"), r.lastErr());
    assertFalse(Files.exists(tmp.resolve("wh-strict")), "no table was created");
  }

  @Test
  void configurationAndUsageErrorsExitWithTwoAndSayWhatToFix() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "input: {path: x, format: xml}\nwarehouse: {path: y}\n");
    Result format = run("sessionize", "--config", bad.toString(), "--date", "2026-11-26");
    assertEquals(2, format.code());
    assertTrue(format.lastErr().contains("input.format") && format.lastErr().contains("json, parquet, delta"), format.lastErr());

    Files.writeString(bad, "input: {path: x}\nwarehouse: {path: y}\nsession: {timout: 5m}\n");
    Result key = run("sessionize", "--config", bad.toString(), "--date", "2026-11-26");
    assertEquals(2, key.code());
    assertTrue(key.lastErr().contains("session.timout"), key.lastErr());

    Result both = run("sessionize", "--config", config.toString(), "--date", "2026-11-26", "--from", "2026-11-26");
    assertEquals(2, both.code());
    assertTrue(both.lastErr().startsWith("rum-sessions: usage error"), both.lastErr());

    Result badDate = run("sessionize", "--config", config.toString(), "--date", "26.11.2026");
    assertEquals(2, badDate.code());

    Result format2 = run("sql", "--config", config.toString(), "--format", "xml", "SELECT 1");
    assertEquals(2, format2.code());

    Result nobody = run("forget", "--config", config.toString());
    assertEquals(2, nobody.code());
    assertTrue(nobody.lastErr().startsWith("rum-sessions: usage error") && nobody.lastErr().contains("--user-tag"), nobody.lastErr());
    Result both2 = run("forget", "--config", config.toString(), "--user-tag", "person1", "--session-id", "s1");
    assertEquals(2, both2.code());
    assertFalse(String.join("\n", both2.err()).contains("person1"), "not even a usage error repeats the tag");
    Result nowhere = run("forget", "--config", config.toString(), "--warehouse", tmp.resolve("wh-none").toString(), "--session-id", "s1");
    assertEquals(2, nowhere.code(), String.join("\n", nowhere.err()));
    assertTrue(nowhere.lastErr().contains("no rum-sessions tables under"), nowhere.lastErr());
    assertFalse(Files.exists(tmp.resolve("wh-none").resolve("forgotten")), "a mistyped warehouse gets no tables");
  }

  @Test
  void aMissingInputPartitionExitsWithOne() throws Exception {
    Result r = run("sessionize", "--config", config.toString(), "--warehouse", tmp.resolve("wh-missing").toString(),
        "--from", "2026-11-26", "--to", "2026-11-28");
    assertEquals(1, r.code());
    assertTrue(r.lastErr().startsWith("rum-sessions: input missing") && r.lastErr().contains("2026-11-28"), r.lastErr());
  }

  /**
   * A producer's worst day, through the real launcher: a gzip upload cut short, a name in upper
   * case, a root inside a date folder, stray files, objects where values belong, a secret where
   * the JSON breaks, a time of two million digits. The run succeeds, keeps every readable record,
   * names what it could not read, and repeats no value of a record anywhere.
   */
  @Test
  void hostileInputBreaksNothingAndLosesNothing() throws Exception {
    Path input = tmp.resolve("hostile/lake/date=2020-01-01/rum");
    RawEvents raw = new RawEvents(input);
    List<Object> good = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      good.add(event("h" + (i % 4), "h" + i, String.format("2026-11-26T11:%02d:00Z", i),
          "client.ip", "203.0.113." + i, "dt.rum.user_tag", "hostileperson" + i));
    }
    good.add("{\"dt.rum.session.id\":\"h1\",\"start_time\":\"2026-11-26T12:00:00Z\",\"dt.rum.user_tag\":secretuser42}");
    good.add("{\"dt.rum.session.id\":{\"x\":1},\"start_time\":\"2026-11-26T12:00:00Z\"}");
    good.add("{\"dt.rum.session.id\":\"h2\",\"start_time\":\"2026-11-26T12:00:00Z\",\"browser.name\":{\"n\":\"secretbrowser\"}}");
    good.add("{\"dt.rum.session.id\":\"h3\",\"start_time\":\"" + "7".repeat(2_000_000) + "\"}");
    raw.write("2026-11-26", "good.jsonl", good);
    raw.write("2026-11-25", "a.jsonl", List.of(event("h25", "x25", "2026-11-25T11:00:00Z")));
    raw.write("2026-11-27", "a.jsonl", List.of(event("h27", "x27", "2026-11-27T11:00:00Z")));
    List<Object> upper = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      upper.add(event("u" + i, "u" + i, String.format("2026-11-26T13:%02d:00Z", i)));
    }
    raw.write("2026-11-26", "UPPER.JSONL.GZ", upper);
    List<Object> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(event("c" + (i % 10), "c" + i, String.format("2026-11-26T14:%02d:%02dZ", i / 60, i % 60)));
    }
    Path cut = raw.write("2026-11-26", "cut.jsonl.gz", many);
    byte[] bytes = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    Files.writeString(input.resolve("date=2026-11-26/_SUCCESS"), "");
    Files.writeString(input.resolve("stray.jsonl"), "{}\n");
    Path hostile = tmp.resolve("hostile.yaml");
    Files.writeString(hostile, Files.readString(config)
        .replace("input: {path: " + tmp.resolve("raw") + "}", "input: {path: " + input + "}")
        .replace("warehouse: {path: " + root.relativize(warehouse), "warehouse: {path: " + tmp.resolve("wh-hostile"))
        + "quality: {max-rejected-fraction: 0.5}\n");

    Result s = run("sessionize", "--config", hostile.toString(), "--date", "2026-11-26");
    assertEquals(0, s.code(), String.join("\n", s.err()));
    String report = String.join("\n", s.out());
    assertTrue(report.contains("input partitions read   [2026-11-25, 2026-11-26, 2026-11-27]"), report);
    assertTrue(report.contains("ignored files           2  (date=2026-11-26/_SUCCESS, stray.jsonl)"), report);
    assertTrue(report.contains("invalid_field_value 2, invalid_start_time 1, malformed_record 1, unreadable_file 1"), report);
    String all = report + String.join("\n", s.err());
    for (String secret : List.of("secretuser42", "secretbrowser", "hostileperson", "203.0.113.", "7777777777")) {
      assertFalse(all.contains(secret), secret + " reached the output or the logs");
    }

    Result q = run("sql", "--config", hostile.toString(), "--format", "json",
        "SELECT reason, detail, source_file, raw_record IS NULL AS no_text FROM rejected_events ORDER BY reason, detail");
    assertEquals(0, q.code(), String.join("\n", q.err()));
    assertEquals(5, q.out().size(), q.out().toString());
    for (String line : q.out()) {
      JsonNode r = JSON.readTree(line);
      String detail = r.get("detail").asText();
      assertFalse(detail.contains("secret") || detail.contains("7777"), detail);
      assertTrue(r.get("source_file").asText().startsWith("file:" + input + "/date=2026-11-26/"), line);
    }
    JsonNode unreadable = JSON.readTree(q.out().get(4));
    assertEquals("unreadable_file", unreadable.get("reason").asText());
    assertEquals("file:" + cut, unreadable.get("source_file").asText());
    assertTrue(unreadable.get("no_text").asBoolean());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("after (\\d+) lines").matcher(unreadable.get("detail").asText());
    assertTrue(m.find(), unreadable.get("detail").asText());
    assertTrue(JSON.readTree(q.out().get(0)).get("detail").asText().startsWith("browser.name "), q.out().get(0));
    assertTrue(JSON.readTree(q.out().get(1)).get("detail").asText().startsWith("dt.rum.session.id "), q.out().get(1));

    // Every readable line of the cut file is an event, and the upper-case gzip was decompressed.
    Result events = run("sql", "--config", hostile.toString(), "--format", "csv",
        "SELECT sum(CASE WHEN source_file LIKE '%cut.jsonl.gz' THEN 1 ELSE 0 END) AS cut, "
            + "sum(CASE WHEN source_file LIKE '%UPPER.JSONL.GZ' THEN 1 ELSE 0 END) AS upper FROM user_events");
    assertEquals(List.of("cut,upper", m.group(1) + ",10"), events.out(), String.join("\n", events.err()));
  }
}
