package org.rumsessions.sessionize;

import static org.rumsessions.testing.RawEvents.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.run.RunCounts;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;
import scala.collection.JavaConverters;

/**
 * Every session rule of the data model on hand-made events with known answers: one run over
 * 2026-11-26, reading 2026-11-25 and 2026-11-27 around it.
 */
@SuppressWarnings("deprecation")
class SessionRulesTest extends SparkTestBase {
  private static final long SECOND = 1_000_000_000L;
  private Pipeline pipeline;
  private RunCounts counts;
  private Map<String, Row> sessions;
  private final Map<String, String> statusById = new TreeMap<>();

  @BeforeAll
  void runOnce() throws Exception {
    Path tmp = Files.createTempDirectory("rules");
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    List<Object> d25 = new ArrayList<>();
    List<Object> d26 = new ArrayList<>();
    List<Object> d26gz = new ArrayList<>();
    List<Object> d27 = new ArrayList<>();

    // A session that started the day before the range: its event on the 26th is summarized, in a
    // session this run does not write.
    d25.add(event("before", "b1", "2026-11-25T23:10:00Z", "characteristics.has_navigation", true));
    d25.add(event("before", "b2", "2026-11-25T23:35:00Z"));
    d26.add(event("before", "b3", "2026-11-26T00:02:00Z"));

    // Gap: a start exactly timeout after the latest end continues; one nanosecond... one second more ends it.
    d26.add(event("gap", "g1", "2026-11-26T10:00:00Z", "duration", SECOND, "characteristics.has_navigation", true));
    d26.add(event("gap", "g2", "2026-11-26T10:30:01Z", "characteristics.has_user_interaction", true));
    d26.add(event("gap", "g3", "2026-11-26T11:00:02Z", "characteristics.has_navigation", true));
    d26.add(event("gap", "g4", "2026-11-26T11:05:00Z"));

    // Max duration: an event every 20 minutes from 01:00; the one at 07:00 is at start + 6 h.
    for (int i = 0; i <= 21; i++) {
      String t = String.format("2026-11-26T%02d:%02d:00Z", 1 + (i * 20) / 60, (i * 20) % 60);
      d26.add(event("long", "l" + i, t, "characteristics.has_request", true));
    }

    // Midnight: starts on the 26th, continues in the next day's folder.
    d26.add(event("midnight", "m1", "2026-11-26T23:50:00Z", "characteristics.has_navigation", true));
    d27.add(event("midnight", "m2", "2026-11-27T00:15:00Z", "characteristics.has_user_interaction", true));

    // Late arrival: an event of the 26th that landed in the 27th's folder.
    d27.add(event("late", "la1", "2026-11-26T22:00:00Z", "characteristics.has_navigation", true));

    // Duplicates: a retry in the same file, a retry in the next day's folder, and an id-less twin
    // spelled nested instead of flat.
    Map<String, Object> dupe = event("dups", "d1", "2026-11-26T08:00:00Z", "characteristics.has_navigation", true);
    d26.add(dupe);
    d26.add(dupe);
    d27.add(dupe);
    d26.add(event("dups", null, "2026-11-26T08:01:00Z", "characteristics.has_request", true));
    d26.add("{\"dt\":{\"rum\":{\"session\":{\"id\":\"dups\"}}},\"start_time\":1795680060000000000,\"characteristics\":{\"has_request\":true}}");

    // Synthetic monitors end by timeout with their own reason.
    d26.add(event("synthetic", "sy1", "2026-11-26T05:00:00Z", "dt.rum.user_type", "synthetic", "characteristics.has_navigation", true));

    // Every column of a summary.
    d26.add(event("full", "f1", "2026-11-26T12:00:00.123456789Z", "characteristics.has_navigation", true,
        "dt.rum.user_type", "real_user", "frontend.name", "web-shop", "dt.rum.application.id", "app-b",
        "browser.version", "120", "session_properties.plan", "free", "session_properties.cart", "1"));
    d26gz.add(event("full", "f2", "2026-11-26T12:01:00Z", "dt.rum.instance.id", "i1", "dt.rum.user_tag", "u1",
        "browser.name", "Chrome", "characteristics.has_request", true, "http.response.status_code", 404,
        "frontend.name", "checkout", "dt.rum.application.id", "app-a", "session_properties.plan", "gold"));
    d26gz.add("{\"dt\":{\"rum\":{\"session\":{\"id\":\"full\"},\"instance\":{\"id\":\"i2\"}}},\"id\":\"f3\",\"start_time\":\"2026-11-26T12:02:00Z\","
        + "\"end_time\":\"2026-11-26T12:02:05Z\",\"characteristics\":{\"has_request\":true,\"has_error\":true,\"has_failed_request\":true},"
        + "\"http\":{\"response\":{\"status_code\":503}},\"error\":{\"type\":\"request\"},\"browser\":{\"name\":\"Firefox\"},\"user.identifier\":\"u2\"}");
    d26.add(event("full", "f4", "2026-11-26T12:03:00Z", "characteristics.has_failed_request", true, "http.response.status_code", 500,
        "characteristics.has_error", true));
    d26.add(event("full", "f5", "2026-11-26T12:04:00Z", "characteristics.has_navigation", true, "http.response.status_code", 404));
    d26.add(event("full", "f6", "2026-11-26T12:05:00Z", "error.type", "exception", "characteristics.has_error", true));
    d26.add(event("full", "f7", "2026-11-26T12:06:00Z", "characteristics.has_exception", true, "characteristics.has_anr", true,
        "characteristics.has_csp_violation", true, "characteristics.has_crash", true, "characteristics.has_replay", true,
        "characteristics.has_user_action", true, "characteristics.has_page_summary", true, "characteristics.has_view_summary", true,
        "geo.country.iso_code", "AT", "session_properties.cart", "2"));
    d26.add(event("full", "f8", String.valueOf(RawEvents.nanos("2026-11-26T12:07:00Z")), "characteristics.has_user_interaction", true,
        "interaction.name", "click", "client.ip", "203.0.113.9"));

    // Classifications.
    d26.add(event("bounce", "bo1", "2026-11-26T14:00:00Z", "characteristics.has_navigation", true));
    d26.add(event("requests-only", "ro1", "2026-11-26T15:00:00Z", "characteristics.has_request", true));
    d26.add(event("all-invalid", "ai1", "2026-11-26T16:00:00Z", "characteristics.has_navigation", true, "characteristics.is_invalid", true));
    d26.add(event("all-invalid", "ai2", "2026-11-26T16:01:00Z", "characteristics.has_user_interaction", true, "characteristics.is_invalid", true));

    // Bad records of the range.
    d26.add("{broken json");
    d26.add(event("x", "bad1", "2026-11-26T10:00:00Z", "end_time", "2026-11-26T09:00:00Z"));
    d26.add("{\"id\":\"bad2\",\"start_time\":\"2026-11-26T10:00:00Z\"}");

    // The latest end read, and so the horizon.
    d27.add(event("later", "z1", "2026-11-27T05:00:00Z", "characteristics.has_navigation", true));

    raw.write("2026-11-25", "a.jsonl", d25);
    raw.write("2026-11-26", "a.jsonl", d26);
    raw.write("2026-11-26", "b.json.gz", d26gz);
    raw.write("2026-11-27", "a.jsonl", d27);

    pipeline = new Pipeline(spark(), raw.root(), tmp.resolve("wh")).with(new PipelineConfig.Quality(0.2))
        // The summary takes the first client IP as received; masking is PrivacyTest's.
        .keepPersonalData();
    counts = pipeline.run("2026-11-26", "2026-11-26");
    sessions = pipeline.sessions();
    for (Row r : pipeline.sql("SELECT id, summary_status FROM user_events WHERE id IS NOT NULL")) {
      statusById.put(r.getString(0), r.getString(1));
    }
  }

  private Row session(String id) {
    Row r = sessions.get(id);
    if (r == null) {
      throw new AssertionError("no session " + id + " in " + sessions.keySet());
    }
    return r;
  }

  private static Object at(Row r, String dotted) {
    Object v = r;
    for (String part : dotted.split("\\.")) {
      v = ((Row) v).getAs(part);
    }
    return v;
  }

  private static String ts(Row r, String column) {
    return ((Timestamp) r.getAs(column)).toInstant().toString();
  }

  @Test
  void writesExactlyTheClosedSessionsThatStartInTheRange() {
    Assertions.assertEquals(
        List.of("all-invalid", "bounce", "dups", "full", "gap", "late", "long", "midnight", "requests-only", "synthetic"),
        new ArrayList<>(sessions.keySet()));
    for (Row r : sessions.values()) {
      Assertions.assertEquals("2026-11-26", r.getAs("date").toString());
    }
  }

  @Test
  void aStartExactlyTimeoutAfterTheLatestEndContinuesAndOneSecondMoreEndsIt() {
    Row gap = session("gap");
    Assertions.assertEquals(2L, (long) gap.getAs("event_count"));
    Assertions.assertEquals("timeout", gap.getAs("end_reason"));
    Assertions.assertEquals("2026-11-26T10:00:00Z", ts(gap, "start_time"));
    Assertions.assertEquals("2026-11-26T10:30:01Z", ts(gap, "end_time"));
    Assertions.assertEquals(1801 * SECOND, (long) gap.getAs("duration"));
    Assertions.assertEquals("summarized", statusById.get("g2"));
    Assertions.assertEquals("after_session_end", statusById.get("g3"));
    Assertions.assertEquals("after_session_end", statusById.get("g4"));
  }

  @Test
  void anEventAtStartPlusMaxDurationEndsTheSession() {
    Row longSession = session("long");
    Assertions.assertEquals(18L, (long) longSession.getAs("event_count"));
    Assertions.assertEquals(18L, (long) longSession.getAs("request_count"));
    Assertions.assertEquals("max_duration", longSession.getAs("end_reason"));
    Assertions.assertEquals("2026-11-26T06:40:00Z", ts(longSession, "end_time"));
    Assertions.assertEquals("summarized", statusById.get("l17"));
    Assertions.assertEquals("after_session_end", statusById.get("l18"));
    Assertions.assertEquals("after_session_end", statusById.get("l21"));
  }

  @Test
  void aSessionCrossingMidnightBelongsToItsStartDate() {
    Row m = session("midnight");
    Assertions.assertEquals(2L, (long) m.getAs("event_count"));
    Assertions.assertEquals("2026-11-27T00:15:00Z", ts(m, "end_time"));
    Assertions.assertEquals("timeout", m.getAs("end_reason"));
    // Its second event starts on the 27th: that partition is not this run's to write.
    Assertions.assertNull(statusById.get("m2"));
  }

  @Test
  void anEventInTheNextDaysFolderLandsInItsStartDate() {
    Assertions.assertEquals(1L, (long) session("late").getAs("event_count"));
    List<Row> rows = pipeline.sql("SELECT date, input_date FROM user_events WHERE id = 'la1'");
    Assertions.assertEquals(1, rows.size());
    Assertions.assertEquals("2026-11-26", rows.get(0).get(0).toString());
    Assertions.assertEquals("2026-11-27", rows.get(0).get(1).toString());
  }

  @Test
  void duplicatesCountOnceWhateverTheirSpellingOrFolder() {
    Row dups = session("dups");
    Assertions.assertEquals(2L, (long) dups.getAs("event_count"));
    Assertions.assertEquals(1L, (long) dups.getAs("request_count"));
    List<Row> copies = pipeline.sql("SELECT input_date FROM user_events WHERE id = 'd1'");
    Assertions.assertEquals(1, copies.size());
    Assertions.assertEquals("2026-11-26", copies.get(0).get(0).toString(), "the copy of the earliest input partition is kept");
    Assertions.assertEquals(2L, counts.input().duplicates(), "the same-file retry and the id-less nested twin");
  }

  @Test
  void syntheticSessionsThatTimeOutFinishTheirExecution() {
    Assertions.assertEquals("synthetic_execution_finished", session("synthetic").getAs("end_reason"));
    Assertions.assertEquals("synthetic", at(session("synthetic"), "dt.rum.user_type"));
  }

  @Test
  void everyColumnOfAFullSession() {
    Row f = session("full");
    Assertions.assertEquals("2026-11-26T12:00:00.123456Z", ts(f, "start_time"));
    Assertions.assertEquals("2026-11-26T12:07:00Z", ts(f, "end_time"));
    Assertions.assertEquals(7 * 60 * SECOND - 123_456_789L, (long) f.getAs("duration"), "duration keeps nanoseconds");
    Assertions.assertEquals("timeout", f.getAs("end_reason"));
    Assertions.assertEquals(8L, (long) f.getAs("event_count"));
    Assertions.assertEquals(2L, (long) f.getAs("navigation_count"));
    Assertions.assertEquals(1L, (long) f.getAs("page_summary_count"));
    Assertions.assertEquals(1L, (long) f.getAs("view_summary_count"));
    Assertions.assertEquals(2L, (long) f.getAs("request_count"));
    Assertions.assertEquals(1L, (long) f.getAs("user_interaction_count"));
    Assertions.assertEquals(1L, (long) f.getAs("user_action_count"));
    Assertions.assertEquals(3L, (long) at(f, "error.count"));
    Assertions.assertEquals(1L, (long) at(f, "error.http_4xx_count"), "the navigation with 404 is no request");
    Assertions.assertEquals(2L, (long) at(f, "error.http_5xx_count"), "a failed request counts without has_request");
    Assertions.assertEquals(2L, (long) at(f, "error.exception_count"), "has_exception or error.type = exception");
    Assertions.assertEquals(1L, (long) at(f, "error.anr_count"));
    Assertions.assertEquals(1L, (long) at(f, "error.csp_violation_count"));
    Assertions.assertEquals(true, at(f, "error.has_crash"));
    Assertions.assertEquals(true, at(f, "characteristics.has_replay"));
    Assertions.assertEquals(false, at(f, "characteristics.is_invalid"));
    Assertions.assertEquals(false, at(f, "characteristics.is_bounce"));
    Assertions.assertEquals("full", at(f, "dt.rum.session.id"));
    Assertions.assertEquals("i1", at(f, "dt.rum.instance.id"), "first non-null");
    Assertions.assertEquals("u2", at(f, "dt.rum.user_tag"), "last non-null, also from user.identifier");
    Assertions.assertEquals("real_user", at(f, "dt.rum.user_type"));
    Assertions.assertEquals(List.of("app-a", "app-b"), JavaConverters.seqAsJavaList((scala.collection.Seq<?>) at(f, "dt.rum.application.ids")));
    Assertions.assertEquals(List.of("checkout", "web-shop"), JavaConverters.seqAsJavaList((scala.collection.Seq<?>) at(f, "frontend.name")));
    Assertions.assertEquals("Chrome", at(f, "browser.name"), "first non-null in event order");
    Assertions.assertEquals("120", at(f, "browser.version"));
    Assertions.assertEquals("AT", at(f, "geo.country.iso_code"));
    Assertions.assertEquals("203.0.113.9", at(f, "client.ip"));
    Assertions.assertNull(at(f, "os.name"));
    Assertions.assertEquals(
        Map.of("plan", "gold", "cart", "2"),
        JavaConverters.mapAsJavaMap(f.<scala.collection.Map<String, String>>getAs("session_properties")));
  }

  @Test
  void bounceAndInvalidFollowTheirDefinitions() {
    Assertions.assertEquals(true, at(session("bounce"), "characteristics.is_bounce"));
    Assertions.assertEquals(false, at(session("bounce"), "characteristics.is_invalid"));
    Assertions.assertEquals(true, at(session("requests-only"), "characteristics.is_invalid"));
    Assertions.assertEquals(true, at(session("requests-only"), "characteristics.is_bounce"));
    Assertions.assertEquals(true, at(session("all-invalid"), "characteristics.is_invalid"));
    Assertions.assertEquals(false, at(session("all-invalid"), "characteristics.is_bounce"));
  }

  @Test
  void eventsOfASessionStartedBeforeTheRangeAreSummarizedThere() {
    Assertions.assertFalse(sessions.containsKey("before"));
    Assertions.assertEquals("summarized", statusById.get("b3"));
    Assertions.assertNull(statusById.get("b1"), "the 25th is not this run's partition");
  }

  @Test
  void rejectedRecordsAreKeptWithTheirReason() {
    Map<String, Long> byReason = new TreeMap<>();
    for (Row r : pipeline.sql("SELECT reason, count(*) FROM rejected_events GROUP BY reason")) {
      byReason.put(r.getString(0), r.getLong(1));
    }
    Assertions.assertEquals(Map.of("malformed_record", 1L, "end_before_start", 1L, "missing_session_id", 1L), byReason);
    Assertions.assertEquals(byReason, counts.input().rejectedByReason());
    Row bad = pipeline.sql("SELECT raw_record, source_file, run_id, date FROM rejected_events WHERE reason = 'malformed_record'").get(0);
    Assertions.assertEquals("{broken json", bad.getString(0));
    Assertions.assertTrue(bad.getString(1).endsWith("date=2026-11-26/a.jsonl"));
    Assertions.assertEquals(counts.run().runId(), bad.getString(2));
  }

  @Test
  void theRunRecordAddsUp() {
    Assertions.assertEquals(counts.input().recordsRead(), counts.input().recordsRejected() + counts.input().duplicates() + counts.input().eventsAccepted());
    Assertions.assertEquals(
        counts.events().written(),
        counts.events().summarized() + counts.events().afterSessionEnd() + counts.events().inOpenSessions());
    long eventRows = pipeline.table("user_events").count();
    Assertions.assertEquals(counts.events().written(), eventRows);
    Assertions.assertEquals(10L, counts.sessions().written());
    Assertions.assertEquals(0L, counts.sessions().deferred());
    long summarizedInSessions =
        pipeline.sql("SELECT sum(event_count) FROM user_sessions").get(0).getLong(0);
    long summarizedOfTheseSessions =
        pipeline.sql("SELECT count(*) FROM user_events WHERE summarized AND dt.rum.session.id <> 'before'").get(0).getLong(0);
    Assertions.assertEquals(summarizedInSessions - 1 /* midnight's m2 is on the 27th */, summarizedOfTheseSessions);
    Row run = pipeline.sql("SELECT records_read, sessions_written, status FROM pipeline_runs").get(0);
    Assertions.assertEquals(counts.input().recordsRead(), run.getLong(0));
    Assertions.assertEquals(10L, run.getLong(1));
    Assertions.assertEquals("succeeded", run.getString(2));
  }

  @Test
  void tablesAndColumnsCarryTheirComments() {
    List<Row> describe = pipeline.sql("DESCRIBE TABLE delta.`" + pipeline.config().warehouse().path() + "/user_sessions`");
    Map<String, String> comments = new TreeMap<>();
    for (Row r : describe) {
      comments.put(r.getString(0), r.getString(2));
    }
    Assertions.assertTrue(comments.get("end_reason").contains("timeout"), comments.toString());
    Assertions.assertTrue(comments.get("duration").contains("nanoseconds"));
  }
}
