package org.rumsessions.run;

import static org.rumsessions.testing.RawEvents.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.rumsessions.common.DateRange;
import org.rumsessions.common.SparkSessions;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.sql.ResultPrinter;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/**
 * Spark 4 runs with {@code spark.sql.ansi.enabled} on by default, Spark 3.5 with it off: a cast
 * that returned null, or a long addition that wrapped, throws instead. The whole pipeline, on
 * hostile input and at the limits of the nanosecond time line, must write the same rows either way.
 */
class AnsiModeTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SESSIONS = "user_sessions";
  private static final String EVENTS = "user_events";
  private static final String REJECTED = "rejected_events";
  private static final String RUNS = "pipeline_runs";
  private static final List<String> TABLES = List.of(SESSIONS, EVENTS, REJECTED, RUNS, "input_files");

  @Test
  void everyTableHasTheSameRowsWithAndWithoutAnsiMode() throws Exception {
    // The job's own session settings, those a running session takes (this session is the test base's).
    SparkSessions.defaults().forEach((k, v) -> {
      if (spark().conf().isModifiable(k)) {
        spark().conf().set(k, v);
      }
    });
    Path tmp = Files.createTempDirectory("ansi");
    RawEvents raw = hostileInput(tmp.resolve("raw"));
    Pipeline off = pipeline(raw, tmp.resolve("wh-ansi-off"));
    Pipeline on = pipeline(raw, tmp.resolve("wh-ansi-on"));
    // Ranges are run mode by mode over the same input; the late file then arrives for both, and
    // the run it triggers keeps the first run's id on the rejected records it rewrites.
    runRanges(off, false);
    runRanges(on, true);
    raw.write("2026-11-26", "late.jsonl", List.of(
        event("s-night", "n3", "2026-11-26T00:20:00Z", "characteristics.has_user_interaction", true),
        "{\"dt.rum.session.id\":\"s-late\",\"start_time\":\"2026-11-26T08:00:00Z\",\"duration\":\"-1\"}"));
    runChanged(off, false);
    runChanged(on, true);

    Map<String, List<String>> withoutAnsi = tables(off);
    Map<String, List<String>> withAnsi = tables(on);
    for (String table : TABLES) {
      Assertions.assertFalse(withoutAnsi.get(table).isEmpty(), table + " is empty");
      Assertions.assertEquals(withoutAnsi.get(table), withAnsi.get(table), table + " differs between ANSI mode off and on");
    }

    // What the input was built to reach, so that the comparison above covers it.
    String sessions = String.join("\n", withoutAnsi.get(SESSIONS));
    String events = String.join("\n", withoutAnsi.get(EVENTS));
    Assertions.assertTrue(sessions.contains("\"id\":\"lo-1\"") && sessions.contains("\"date\":\"1677-09-21\""),
        "the session at the first representable nanosecond is written on its own date");
    Assertions.assertTrue(events.contains("\"id\":\"hi-2\"") && events.contains("\"summary_status\":\"session_open\""),
        "sessions whose deadlines lie past the last representable nanosecond stay open");
    Assertions.assertTrue(sessions.contains("\"end_reason\":\"max_duration\"") && sessions.contains("\"end_reason\":\"timeout\"")
        && sessions.contains("\"end_reason\":\"synthetic_execution_finished\""), sessions);
    String runs = String.join("\n", withoutAnsi.get(RUNS));
    Assertions.assertTrue(runs.contains("\"trigger\":\"changed\"") && runs.matches("(?s).*\"sessions_deferred\":[1-9].*"), runs);
    String rejected = String.join("\n", withoutAnsi.get(REJECTED));
    for (String reason : List.of("malformed_record", "missing_session_id", "invalid_start_time", "invalid_end_time",
        "invalid_duration", "end_before_start", "invalid_field_value", "start_time_far_from_partition")) {
      Assertions.assertTrue(rejected.contains("\"reason\":\"" + reason + "\""), "no record rejected as " + reason);
    }
  }

  private Pipeline pipeline(RawEvents raw, Path warehouse) {
    return new Pipeline(spark(), raw.root(), warehouse)
        // Two property names per session, so that some are dropped; rejections are the point here.
        .maxProperties(2)
        .with(new PipelineConfig.Quality(0.9));
  }

  private void runRanges(Pipeline p, boolean ansi) {
    ansi(ansi);
    p.run("2026-11-25", "2026-11-26");
    p.run("2262-04-10", "2262-04-11");
    p.run("1677-09-21", "1677-09-21");
  }

  private void runChanged(Pipeline p, boolean ansi) {
    ansi(ansi);
    ChangedInput changes = new ChangedInput(spark(), p.config());
    ChangedInput.Plan plan = changes.plan();
    Assertions.assertFalse(plan.isEmpty(), "the late file was not seen");
    SessionizeJob job = new SessionizeJob(spark(), p.config());
    for (DateRange r : plan.ranges()) {
      job.run(r, Optional.empty(), "changed", plan.reason(r));
    }
  }

  private void ansi(boolean on) {
    spark().conf().set("spark.sql.ansi.enabled", String.valueOf(on));
  }

  /**
   * Every row of every table as JSON, sorted. Run ids become the run's place in the order of runs
   * (so that "the run that first rejected it" is still compared), and run times are left out.
   */
  private Map<String, List<String>> tables(Pipeline p) throws Exception {
    List<String> runOrder = new ArrayList<>();
    for (Row r : p.table(RUNS).orderBy("started_at").select("run_id").collectAsList()) {
      runOrder.add(r.getString(0));
    }
    Map<String, String> runNames = new HashMap<>();
    for (int i = 0; i < runOrder.size(); i++) {
      runNames.put(runOrder.get(i), "run " + (i + 1));
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String table : TABLES) {
      Dataset<Row> rows = p.table(table);
      List<String> json = new ArrayList<>();
      for (Row r : rows.collectAsList()) {
        // The configuration recorded in pipeline_runs names the warehouse, the one intended difference.
        String text = ResultPrinter.json(r, rows.schema()).replace(p.config().warehouse().path(), "WAREHOUSE");
        ObjectNode o = (ObjectNode) JSON.readTree(text);
        if (o.has("run_id")) {
          o.put("run_id", runNames.getOrDefault(o.get("run_id").asText(), "unknown run"));
        }
        o.remove(List.of("started_at", "ended_at"));
        json.add(JSON.writeValueAsString(o));
      }
      Collections.sort(json);
      out.put(table, json);
    }
    return out;
  }

  /**
   * Ordinary sessions of every end reason, deferred ones, records of every rejection reason, huge
   * numbers, empty and blank files, an empty partition, and events at both ends of the epoch
   * nanosecond range (1677-09-21T00:12:43.145224192Z and 2262-04-11T23:47:16.854775807Z).
   */
  static RawEvents hostileInput(Path root) {
    RawEvents raw = new RawEvents(root);
    List<Object> day1 = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      day1.add(event("s-normal", "n-" + i, "2026-11-25T10:0" + i + ":00.123456789Z",
          "characteristics.has_navigation", i == 0, "characteristics.has_request", i > 0,
          "http.response.status_code", i == 1 ? 503 : i == 2 ? 404 : 200,
          "session_properties.p" + i, "v" + i, "dt.rum.user_tag", "tag" + i, "client.ip", "198.51.100." + i));
    }
    day1.add(event("s-gap", "g1", "2026-11-25T11:00:00Z", "characteristics.has_navigation", true));
    day1.add(event("s-gap", "g2", "2026-11-25T12:00:00Z", "characteristics.has_user_action", true));
    // Every 20 minutes for 7 hours: ended by the 6-hour maximum, not by the timeout.
    for (int m = 0; m <= 420; m += 20) {
      day1.add(event("s-long", "l" + m, String.format("2026-11-25T%02d:%02d:00Z", 1 + m / 60, m % 60),
          "characteristics.has_user_interaction", true));
    }
    day1.add(event("s-synth", "y1", "2026-11-25T13:00:00Z", "dt.rum.user_type", "synthetic", "characteristics.has_navigation", true));
    day1.add(event("s-normal", "n-1", "2026-11-25T10:01:00.123456789Z", "characteristics.has_request", true));
    day1.add(event("s-midnight", "m1", "2026-11-25T23:59:59.999999999Z", "characteristics.has_navigation", true));
    day1.add(event("s-night", "n1", "2026-11-25T23:50:00Z", "characteristics.has_navigation", true));
    // Numbers no Spark type holds: kept as text in attributes and properties.
    day1.add(event("s-big", "b1", "2026-11-25T14:00:00Z", "custom.huge", new java.math.BigDecimal("1e400"),
        "custom.wide", new java.math.BigInteger("123456789012345678901234567890"),
        "session_properties.big", new java.math.BigInteger("99999999999999999999"), "duration", 1_500_000_000L));
    day1.addAll(List.of(
        "{oops", "[1,2]", "42", "null", "\"text\"",
        "{\"start_time\":\"2026-11-25T10:00:00Z\"}",
        "{\"dt.rum.session.id\":\"   \",\"start_time\":\"2026-11-25T10:00:00Z\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"yesterday\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"99999999999999999999\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"end_time\":\"soon\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"timestamp\":true}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"duration\":-5}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"duration\":12.5}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"duration\":99999999999999999999}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"duration\":9223372036854775807}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"end_time\":\"2026-11-25T09:00:00Z\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"http.response.status_code\":\"abc\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"http.response.status_code\":1e30}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"http.response.status_code\":99999999999999999999}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"browser.window.width\":3.5}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-25T10:00:00Z\",\"characteristics.has_error\":\"maybe\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-20T10:00:00Z\"}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":9223372036854775807}",
        "{\"dt.rum.session.id\":\"x\",\"start_time\":-9223372036854775808}",
        "   "));
    raw.write("2026-11-25", "a.jsonl", day1);
    raw.write("2026-11-25", "b.jsonl.gz", List.of(
        event("s-normal", "n-2", "2026-11-25T10:02:00.123456789Z", "characteristics.has_request", true)));
    raw.write("2026-11-26", "a.jsonl", List.of(
        event("s-night", "n2", "2026-11-26T00:10:00Z", "characteristics.has_request", true, "http.response.status_code", 500),
        event("s-26", "t1", "2026-11-26T09:00:00Z", "characteristics.has_navigation", true),
        // Open at the horizon of the first range: the 27th's only event comes 5 minutes later.
        event("s-open", "o1", "2026-11-26T23:55:00Z", "characteristics.has_navigation", true),
        "{\"dt.rum.session.id\":\"x\",\"start_time\":\"2026-11-26T10:00:00Z\",\"duration\":\"NaN\"}"));
    raw.write("2026-11-26", "empty.jsonl", List.of());
    raw.write("2026-11-26", "blank.jsonl", List.of("", "  ", "\t"));
    raw.write("2026-11-27", "a.jsonl", List.of(event("s-27", "u1", "2026-11-27T00:00:00Z", "characteristics.has_navigation", true)));

    raw.emptyPartition("2262-04-10");
    raw.write("2262-04-11", "a.jsonl", List.of(
        event("hi-1", "h1", "2262-04-11T23:00:00Z", "characteristics.has_navigation", true),
        event("hi-1", "h2", "2262-04-11T23:40:00Z", "end_time", "2262-04-11T23:47:16.854775807Z"),
        event("hi-2", "h3", "9223372036854775807", "characteristics.has_navigation", true),
        event("hi-3", "h4", "2262-04-11T23:47:16.854775807Z", "duration", 1),
        event("hi-4", "h5", "2262-04-11T23:47:16.854775808Z")));
    raw.write("1677-09-21", "a.jsonl", List.of(
        event("lo-1", "l1", "-9223372036854775808", "characteristics.has_navigation", true),
        event("lo-1", "l2", "1677-09-21T00:30:00Z", "duration", 1_000_000_000L),
        event("lo-2", "l3", "1677-09-21T00:12:43.145224191Z"),
        // Moves the horizon past lo-1's timeout, so that it is written.
        event("lo-3", "l4", "1677-09-21T05:00:00Z")));
    return raw;
  }
}
