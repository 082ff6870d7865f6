package org.rumsessions.bench;

import static org.apache.spark.sql.functions.col;
import static org.rumsessions.testing.RawEvents.event;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rumsessions.cli.RumSessions;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.run.RunCounts;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/**
 * rum-sessions and its DuckDB twin on the same input must write the same user_sessions rows,
 * column by column. The input is the generator's (all key spellings, ISO and nanosecond times,
 * duplicates, late arrivals, corrupt lines, long and idle sessions, property caps) plus hand-made
 * events for the edges it rarely hits. Two runs: with the data's own horizon, and with an earlier
 * one that leaves sessions open.
 *
 * <p>Tagged {@code bench}: it needs the DuckDB driver, which only {@code -Pbench} puts on the
 * classpath ({@code ./mvnw -B -Pbench test -Dtest=DuckDbSessionsEqualityTest}).
 */
@Tag("bench")
class DuckDbSessionsEqualityTest extends SparkTestBase {
  private static final LocalDate FROM = LocalDate.parse("2026-11-25");
  private static final LocalDate TO = LocalDate.parse("2026-11-26");
  /** Small, so that the generator's sessions with several properties reach the cap. */
  private static final int MAX_PROPERTIES = 3;

  private Path tmp;
  private Path input;

  @BeforeAll
  void makeInput() throws Exception {
    tmp = Files.createTempDirectory("duckdb-twin");
    input = tmp.resolve("raw");
    generate(input);
    handMade(new RawEvents(input));
  }

  @Test
  void sameSessionsWithTheDataHorizon() throws Exception {
    compare("data-horizon", null);
  }

  @Test
  void sameSessionsWithAnEarlierHorizon() throws Exception {
    compare("early-horizon", "2026-11-26T18:00:00Z");
  }

  private void compare(String name, String horizon) throws Exception {
    Pipeline pipeline =
        new Pipeline(spark(), input, tmp.resolve(name + "-warehouse"))
            .maxProperties(MAX_PROPERTIES);
    RunCounts counts = pipeline.run(FROM.toString(), TO.toString(), horizon);
    DuckDbSessions.Result twin =
        DuckDbSessions.run(
            pipeline.config(), FROM, TO, tmp.resolve(name + "-duckdb"),
            horizon == null ? null : RawEvents.nanos(horizon), 2);

    Assertions.assertEquals(counts.input().recordsRead(), twin.recordsRead(), "records read");
    Assertions.assertEquals(counts.input().rejectedByReason(), twin.rejectedByReason(), "rejected by reason");
    Assertions.assertEquals(counts.input().duplicates(), twin.duplicates(), "duplicates");
    Assertions.assertEquals(counts.sessions().written(), twin.sessionsWritten(), "sessions written");
    Assertions.assertEquals(counts.sessions().deferred(), twin.sessionsDeferred(), "sessions deferred");
    Assertions.assertEquals(counts.sessions().propertiesDropped(), twin.propertiesDropped(), "session properties dropped");
    if (horizon != null) {
      Assertions.assertTrue(counts.sessions().deferred() > 0, "the early horizon leaves sessions open");
    }

    Dataset<Row> duck = spark().read().parquet(twin.parquet().toString());
    Dataset<Row> delta = flatten(pipeline.table("user_sessions"), duck.schema().fieldNames());
    Assertions.assertEquals(columnTypes(delta), columnTypes(duck), "the twin writes the columns of user_sessions, with their types");
    Assertions.assertTrue(counts.sessions().written() > 150, "enough sessions to compare: " + counts.sessions().written());

    Map<String, Row> expected = bySessionId(delta);
    Map<String, Row> actual = bySessionId(duck);
    Assertions.assertEquals(expected.keySet(), actual.keySet(), "session ids");
    List<String> differences = new ArrayList<>();
    String[] columns = duck.schema().fieldNames();
    for (Map.Entry<String, Row> e : expected.entrySet()) {
      Row a = actual.get(e.getKey());
      for (int i = 0; i < columns.length; i++) {
        if (!Objects.equals(e.getValue().get(i), a.get(i))) {
          differences.add(e.getKey() + " " + columns[i] + ": rum-sessions " + e.getValue().get(i) + ", duckdb " + a.get(i));
        }
      }
    }
    Assertions.assertEquals(List.of(), differences.subList(0, Math.min(differences.size(), 30)), differences.size() + " values differ");
  }

  /** The nested user_sessions columns under their dotted names, in the twin's column order. */
  private static Dataset<Row> flatten(Dataset<Row> nested, String[] dottedNames) {
    Column[] cols = Arrays.stream(dottedNames).map(n -> col(n).as(n)).toArray(Column[]::new);
    return nested.select(cols);
  }

  /** Names and types; nullability aside, which Parquet does not keep for array elements. */
  private static List<String> columnTypes(Dataset<Row> rows) {
    return Arrays.stream(rows.schema().fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
  }

  private static Map<String, Row> bySessionId(Dataset<Row> flat) {
    Map<String, Row> m = new TreeMap<>();
    int sid = flat.schema().fieldIndex("dt.rum.session.id");
    for (Row r : flat.collectAsList()) {
      m.put(r.getString(sid), r);
    }
    return m;
  }

  private static void generate(Path out) {
    PrintStream stdout = System.out;
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    System.setOut(new PrintStream(report, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          RumSessions.execute(
              "generate", "--out", out.toString(), "--from", FROM.minusDays(1).toString(), "--days", "4",
              "--sessions-per-day", "100", "--seed", "5", "--bad-fraction", "0.02");
    } finally {
      System.setOut(stdout);
    }
    Assertions.assertEquals(0, code, "generate failed: " + report.toString(StandardCharsets.UTF_8));
  }

  /** Edge cases of the rules that a small generated sample may miss, with both implementations' answers unknown to the test. */
  private static void handMade(RawEvents raw) {
    List<Object> d25 = new ArrayList<>();
    List<Object> d26 = new ArrayList<>();
    List<Object> d24 = new ArrayList<>();

    // Times: nanosecond fractions (microseconds kept in the timestamps, nanoseconds in duration),
    // offsets, epoch nanoseconds as number and as text, and keys spelled every way, including
    // partial nesting.
    d25.add(event("hm-times", "t1", "2026-11-25T10:00:00.123456789Z", "end_time", "2026-11-25T12:00:01.987654321+02:00",
        "characteristics.has_navigation", true));
    d25.add("{\"dt.rum\":{\"session.id\":\"hm-times\"},\"id\":\"t2\",\"start_time\":1795687200500000001,"
        + "\"duration\":\"999\",\"characteristics\":{\"has_user_interaction\":\"TRUE\"}}");
    d25.add("{\"dt\":{\"rum\":{\"session\":{\"id\":\"hm-times\"}}},\"id\":\"t3\",\"start_time\":\"1795687300000000000\","
        + "\"browser\":{\"window.width\":\"1280\",\"name\":\"Firefox\"},\"dt.rum.user_type\":\"real_user\"}");
    d25.add(event("hm-times", "t4", "2026-11-25T10:05:00.000001+00:00", "timestamp", "2026-11-25T10:05:00Z",
        "browser.name", "Chrome", "http.response.status_code", "503", "characteristics.has_failed_request", true));

    // The running maximum: a long event keeps the session alive for short events after it.
    d25.add(event("hm-runmax", "r1", "2026-11-25T13:00:00Z", "end_time", "2026-11-25T13:50:00Z",
        "characteristics.has_navigation", true));
    d25.add(event("hm-runmax", "r2", "2026-11-25T13:05:00Z", "end_time", "2026-11-25T13:06:00Z"));
    d25.add(event("hm-runmax", "r3", "2026-11-25T14:10:00Z", "characteristics.has_navigation", true));
    d25.add(event("hm-runmax", "r4", "2026-11-25T14:40:00Z"));
    d25.add(event("hm-runmax", "r5", "2026-11-25T15:10:00.000000001Z", "characteristics.has_navigation", true));

    // Max duration: an event every 20 minutes from 01:00; the one at 07:00 is at start + 6 h.
    for (int i = 0; i <= 21; i++) {
      String t = String.format("2026-11-25T%02d:%02d:00Z", 1 + (i * 20) / 60, (i * 20) % 60);
      d25.add(event("hm-long", "l" + i, t, "characteristics.has_request", true, "http.response.status_code", 404 + i % 2 * 100));
    }

    // Synthetic monitors that time out, errors spelled through error.type, an alias for the user tag.
    d25.add(event("hm-synthetic", "s1", "2026-11-25T05:00:00Z", "dt.rum.user_type", "synthetic",
        "characteristics.has_navigation", true, "error.type", "exception", "user.identifier", "robot-1"));
    d25.add(event("hm-synthetic", "s2", "2026-11-25T05:01:00Z", "dt.rum.user_tag", "robot-2",
        "characteristics.has_exception", true, "error.type", "exception", "characteristics.is_invalid", true));

    // Every event invalid, with a navigation: invalid all the same.
    d25.add(event("hm-invalid", "i1", "2026-11-25T06:00:00Z", "characteristics.is_invalid", true,
        "characteristics.has_navigation", true, "characteristics.has_user_action", "false"));

    // Session properties, flat and nested, changed later, more names than the cap (ties by name).
    d25.add(event("hm-props", "p1", "2026-11-25T07:00:00Z", "session_properties.zeta", "1",
        "session_properties.alpha", "a", "characteristics.has_navigation", true));
    d25.add("{\"dt.rum.session.id\":\"hm-props\",\"id\":\"p2\",\"start_time\":\"2026-11-25T07:01:00Z\","
        + "\"session_properties\":{\"alpha\":\"b\",\"count\":3,\"flag\":true}}");
    d25.add(event("hm-props", "p3", "2026-11-25T07:02:00Z", "session_properties.zeta", "2", "session_properties.beta", null));

    // Events without an id: an identical copy counts once.
    Map<String, Object> noId = event("hm-noid", null, "2026-11-25T08:00:00Z", "characteristics.has_navigation", true);
    d25.add(noId);
    d25.add(noId);
    d25.add(event("hm-noid", null, "2026-11-25T08:01:00Z", "os.name", "Linux"));
    // The same id in the next day's folder: a duplicate.
    Map<String, Object> retried = event("hm-noid", "n3", "2026-11-25T08:02:00Z", "client.ip", "192.0.2.7");
    d25.add(retried);
    d26.add(retried);

    // A session that started before the range: not written, though its events reach into it.
    d24.add(event("hm-before", "b1", "2026-11-24T23:50:00Z", "characteristics.has_navigation", true));
    d25.add(event("hm-before", "b2", "2026-11-25T00:10:00Z"));

    // Late in the range: open at the early horizon, closed at the data's.
    d26.add(event("hm-evening", "e1", "2026-11-26T17:50:00Z", "characteristics.has_navigation", true));
    d26.add(event("hm-evening", "e2", "2026-11-26T17:55:00Z", "characteristics.has_user_interaction", true));

    // Rejected records: each must be rejected by both, or sessions would differ.
    d25.add(event("hm-bad", "x1", "2026-11-25T09:00:00Z", "characteristics.has_error", "yes"));
    d25.add(event("hm-bad", "x2", "2026-11-25T09:00:00Z", "http.response.status_code", 404.5));
    d25.add(event("hm-bad", "x3", "2026-11-25T09:00:00"));
    d25.add(event("hm-bad", "x4", "2026-11-25T09:00:00Z", "end_time", "2026-11-25T08:59:59Z"));
    d25.add(event("hm-bad", "x5", "2026-11-25T09:00:00Z", "duration", -1));
    d25.add(event("hm-bad", "x6", "2026-11-25T09:00:00Z", "frontend.name", List.of("a", "b")));
    d25.add(event("hm-bad", "x7", "2026-11-29T09:00:00Z"));
    d25.add(event("", "x8", "2026-11-25T09:00:00Z"));
    d25.add(event("\t ", "x12", "2026-11-25T09:00:00Z"));
    d25.add(event("hm-bad", "x10", "2026-11-25T09:00:00Z", "end_time", "soon"));
    d25.add(event("hm-bad", "x11", "2026-11-25T09:00:00Z", "timestamp", "2026-11-25 09:00:00Z"));
    d25.add("[1, 2]");
    d25.add("{\"dt.rum.session.id\": \"hm-bad\", \"start_time\": ");
    d25.add(event("hm-bad", "x9", "2026-11-25T09:00:01Z", "characteristics.has_navigation", true));

    raw.write("2026-11-24", "handmade.jsonl", d24);
    raw.write("2026-11-25", "handmade.jsonl.gz", d25);
    raw.write("2026-11-26", "handmade.jsonl", d26);
  }
}
