package org.rumsessions.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.rumsessions.testing.RawEvents.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.read.MissingInputException;
import org.rumsessions.tables.Tables;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/** What a run promises beyond the rules: determinism, reruns, atomic failure, deferral, formats. */
class RunSemanticsTest extends SparkTestBase {

  /** Three days of events with gaps, a midnight crossing, duplicates, properties and bad lines. */
  private static RawEvents sample(Path root) {
    RawEvents raw = new RawEvents(root);
    for (String day : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
      List<Object> lines = new ArrayList<>();
      for (int s = 0; s < 12; s++) {
        String sid = day + "-s" + s;
        for (int e = 0; e < 6; e++) {
          int minute = s * 97 + e * (s % 3 == 0 ? 41 : 7);
          String t = String.format("%sT%02d:%02d:%02d.%03dZ", day, (minute / 60) % 24, minute % 60, e, s);
          lines.add(event(sid, sid + "-e" + e, t,
              "characteristics.has_navigation", e == 0, "characteristics.has_request", e % 2 == 1,
              "http.response.status_code", e % 2 == 1 ? 200 + 100 * (e % 4) : null,
              "session_properties.p" + (e % 3), "v" + e, "browser.name", e == 2 ? "Chrome" : null,
              "dt.rum.user_type", s == 5 ? "synthetic" : "real_user"));
        }
      }
      lines.add(event(day + "-night", day + "-n1", day + "T23:55:00Z", "characteristics.has_navigation", true));
      lines.add(lines.get(3));
      lines.add("{oops");
      raw.write(day, "events.jsonl", lines);
    }
    raw.write("2026-11-26", "late.jsonl.gz", List.of(
        event("2026-11-25-night", "2026-11-25-n2", "2026-11-26T00:05:00Z", "characteristics.has_user_interaction", true)));
    return raw;
  }

  private Pipeline fresh(String name) throws Exception {
    Path tmp = Files.createTempDirectory(name);
    RawEvents raw = sample(tmp.resolve("raw"));
    return new Pipeline(spark(), raw.root(), tmp.resolve("wh")).with(new PipelineConfig.Quality(0.2));
  }

  /** A table's rows as sorted JSON text, optionally without some columns. */
  private static List<String> content(Pipeline p, String table, String... without) {
    Dataset<Row> t = p.table(table);
    List<Column> cols = new ArrayList<>();
    for (String c : t.columns()) {
      if (!Arrays.asList(without).contains(c)) {
        cols.add(col(c));
      }
    }
    List<String> rows = t.select(to_json(struct(cols.toArray(Column[]::new)))).as(Encoders.STRING()).collectAsList();
    List<String> sorted = new ArrayList<>(rows);
    sorted.sort(null);
    return sorted;
  }

  private static Map<String, Long> versions(Pipeline p) {
    Map<String, Long> v = new java.util.TreeMap<>();
    org.rumsessions.write.DeltaTables tables =
        new org.rumsessions.write.DeltaTables(p.table(Tables.EVENTS.name()).sparkSession(), p.config().warehouse().path());
    for (org.rumsessions.tables.TableSpec t : Tables.ALL) {
      v.put(t.name(), tables.version(t));
    }
    return v;
  }

  @Test
  void sameRowsWithOneOrTwoHundredShufflePartitions() throws Exception {
    Pipeline one = fresh("det1");
    Pipeline many = new Pipeline(spark(), Path.of(one.config().input().path()), Path.of(one.config().warehouse().path() + "-many"))
        .with(new PipelineConfig.Quality(0.2));
    String adaptive = spark().conf().get("spark.sql.adaptive.enabled");
    try {
      spark().conf().set("spark.sql.adaptive.enabled", "false");
      spark().conf().set("spark.sql.shuffle.partitions", "1");
      one.run("2026-11-25", "2026-11-27");
      spark().conf().set("spark.sql.shuffle.partitions", "200");
      many.run("2026-11-25", "2026-11-27");
    } finally {
      spark().conf().set("spark.sql.shuffle.partitions", "2");
      spark().conf().set("spark.sql.adaptive.enabled", adaptive);
    }
    Assertions.assertEquals(content(one, Tables.SESSIONS.name()), content(many, Tables.SESSIONS.name()));
    Assertions.assertEquals(content(one, Tables.EVENTS.name()), content(many, Tables.EVENTS.name()));
    Assertions.assertEquals(content(one, Tables.REJECTED.name(), "run_id"), content(many, Tables.REJECTED.name(), "run_id"));
    Assertions.assertTrue(content(one, Tables.SESSIONS.name()).size() >= 30);
  }

  @Test
  void aRerunLeavesIdenticalTablesAndCountsEachRejectedRecordOnce() throws Exception {
    Pipeline p = fresh("rerun");
    RunCounts first = p.run("2026-11-26", "2026-11-26");
    List<String> sessions = content(p, Tables.SESSIONS.name());
    List<String> events = content(p, Tables.EVENTS.name());
    List<String> rejected = content(p, Tables.REJECTED.name());
    RunCounts second = p.run("2026-11-26", "2026-11-26");
    Assertions.assertEquals(sessions, content(p, Tables.SESSIONS.name()));
    Assertions.assertEquals(events, content(p, Tables.EVENTS.name()));
    Assertions.assertEquals(rejected, content(p, Tables.REJECTED.name()), "run ids of earlier rejections are kept");
    Assertions.assertEquals(1, rejected.size());
    Assertions.assertEquals(first.sessions().written(), second.sessions().written());
    Assertions.assertEquals(2L, p.table(Tables.RUNS.name()).count());
  }

  @Test
  void runsOverAdjacentRangesAddUpToOneRunOverAll() throws Exception {
    Pipeline whole = fresh("whole");
    whole.run("2026-11-25", "2026-11-27");
    Pipeline split = new Pipeline(spark(), Path.of(whole.config().input().path()), Path.of(whole.config().warehouse().path() + "-split"))
        .with(new PipelineConfig.Quality(0.2));
    RunCounts a = split.run("2026-11-25", "2026-11-25");
    RunCounts b = split.run("2026-11-26", "2026-11-27");
    Assertions.assertEquals(content(whole, Tables.SESSIONS.name()), content(split, Tables.SESSIONS.name()));
    Assertions.assertEquals(content(whole, Tables.EVENTS.name()), content(split, Tables.EVENTS.name()));
    // Conservation: every raw record is rejected, a duplicate, or one user_events row.
    long records = a.input().recordsRead() + b.input().recordsRead();
    Assertions.assertEquals(records, a.input().recordsRejected() + b.input().recordsRejected() + a.input().duplicates() + b.input().duplicates()
        + split.table(Tables.EVENTS.name()).count());
    Assertions.assertEquals(3 * (12 * 6 + 3) + 1, records);
  }

  @Test
  void aRunOverTheLimitOfRejectedRecordsWritesNothing() throws Exception {
    Pipeline p = fresh("limit");
    p.run("2026-11-26", "2026-11-26");
    Map<String, Long> before = versions(p);
    p.with(new PipelineConfig.Quality(0.0));
    RejectedFractionExceededException e =
        Assertions.assertThrows(RejectedFractionExceededException.class, () -> p.run("2026-11-26", "2026-11-26"));
    Assertions.assertTrue(e.getMessage().contains("malformed_record"), e.getMessage());
    Assertions.assertEquals(before, versions(p));
  }

  @Test
  void aMissingPartitionOfTheRangeFailsTheRunBeforeAnyWrite() throws Exception {
    Pipeline p = fresh("missing");
    p.run("2026-11-26", "2026-11-26");
    Map<String, Long> before = versions(p);
    MissingInputException e =
        Assertions.assertThrows(MissingInputException.class, () -> p.run("2026-11-26", "2026-11-29"));
    Assertions.assertTrue(e.getMessage().contains("2026-11-28"), e.getMessage());
    Assertions.assertEquals(before, versions(p));
  }

  @Test
  void aFailedWriteRestoresTheTablesAlreadyWritten() throws Exception {
    Pipeline p = fresh("restore");
    p.run("2026-11-26", "2026-11-26");
    List<String> sessions = content(p, Tables.SESSIONS.name());
    List<String> events = content(p, Tables.EVENTS.name());
    // More input for the date, and a rejected_events table that cannot be written.
    new RawEvents(Path.of(p.config().input().path())).write("2026-11-26", "more.jsonl",
        List.of(event("extra", "x1", "2026-11-26T03:00:00Z", "characteristics.has_navigation", true)));
    Path rejected = Path.of(p.config().warehouse().path(), Tables.REJECTED.name());
    org.apache.commons.io.FileUtils.deleteDirectory(rejected.toFile());
    Files.writeString(rejected, "not a table");
    Assertions.assertThrows(RuntimeException.class, () -> p.run("2026-11-26", "2026-11-26"));
    Assertions.assertEquals(sessions, content(p, Tables.SESSIONS.name()));
    Assertions.assertEquals(events, content(p, Tables.EVENTS.name()));
  }

  @Test
  void aSessionOpenAtTheHorizonIsDeferredAndWrittenByALaterRun() throws Exception {
    Path tmp = Files.createTempDirectory("defer");
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    raw.write("2026-11-26", "a.jsonl", List.of(
        event("early", "e1", "2026-11-26T08:00:00Z", "characteristics.has_navigation", true),
        event("open", "o1", "2026-11-26T23:40:00Z", "characteristics.has_navigation", true)));
    Pipeline p = new Pipeline(spark(), raw.root(), tmp.resolve("wh"));
    RunCounts first = p.run("2026-11-26", "2026-11-26");
    Assertions.assertEquals(1L, first.sessions().deferred());
    Assertions.assertEquals(1L, first.sessions().written());
    Assertions.assertEquals(1L, first.events().inOpenSessions());
    Assertions.assertEquals(List.of("early"), new ArrayList<>(p.sessions().keySet()));
    Assertions.assertEquals("session_open",
        p.sql("SELECT summary_status FROM user_events WHERE id = 'o1'").get(0).getString(0));

    // An explicit horizon before the early session's timeout defers it too.
    RunCounts early = p.run("2026-11-26", "2026-11-26", "2026-11-26T08:20:00Z");
    Assertions.assertEquals(2L, early.sessions().deferred());

    raw.write("2026-11-27", "a.jsonl", List.of(
        event("open", "o2", "2026-11-27T00:05:00Z", "characteristics.has_user_interaction", true),
        event("next", "n1", "2026-11-27T03:00:00Z", "characteristics.has_navigation", true)));
    RunCounts later = p.run("2026-11-26", "2026-11-26");
    Assertions.assertEquals(0L, later.sessions().deferred());
    Row open = p.sessions().get("open");
    Assertions.assertEquals(2L, (long) open.getAs("event_count"));
    Assertions.assertEquals("summarized",
        p.sql("SELECT summary_status FROM user_events WHERE id = 'o1'").get(0).getString(0));
  }

  @Test
  void parquetAndDeltaInputsGiveTheSameSessionsAsJson() throws Exception {
    Pipeline json = fresh("formats");
    json.run("2026-11-26", "2026-11-26");
    Path base = Path.of(json.config().input().path()).getParent();
    for (String day : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
      Dataset<Row> d = spark().read().option("mode", "DROPMALFORMED").json(json.config().input().path() + "/date=" + day);
      d.write().mode("overwrite").parquet(base.resolve("parquet/date=" + day).toString());
      d.withColumn("date", lit(day).cast("date")).write().format("delta").mode("append").partitionBy("date")
          .option("mergeSchema", "true").save(base.resolve("delta").toString());
    }
    Pipeline parquet = new Pipeline(spark(), base.resolve("parquet"), base.resolve("wh-parquet")).format("parquet");
    parquet.run("2026-11-26", "2026-11-26");
    Pipeline delta = new Pipeline(spark(), base.resolve("delta"), base.resolve("wh-delta")).format("delta");
    delta.run("2026-11-26", "2026-11-26");
    Assertions.assertEquals(content(json, Tables.SESSIONS.name()), content(parquet, Tables.SESSIONS.name()));
    Assertions.assertEquals(content(json, Tables.SESSIONS.name()), content(delta, Tables.SESSIONS.name()));
  }

  @Test
  void sessionPropertiesKeepTheFirstSeenNamesUpToTheCap() throws Exception {
    Path tmp = Files.createTempDirectory("props");
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    raw.write("2026-11-26", "a.jsonl", List.of(
        event("s", "1", "2026-11-26T08:00:00Z", "session_properties.b", "1", "session_properties.a", "1"),
        event("s", "2", "2026-11-26T08:01:00Z", "session_properties.c", "1", "session_properties.b", "2"),
        event("later", "3", "2026-11-26T12:00:00Z")));
    Pipeline p = new Pipeline(spark(), raw.root(), tmp.resolve("wh"))
        .maxProperties(2);
    RunCounts c = p.run("2026-11-26", "2026-11-26");
    Row s = p.sessions().get("s");
    @SuppressWarnings("deprecation")
    Map<String, String> props =
        scala.collection.JavaConverters.mapAsJavaMap(s.<scala.collection.Map<String, String>>getAs("session_properties"));
    Assertions.assertEquals(Map.of("a", "1", "b", "2"), props, "a and b seen first (ties by name), b's last value");
    Assertions.assertEquals(1L, c.sessions().propertiesDropped());
  }
}
