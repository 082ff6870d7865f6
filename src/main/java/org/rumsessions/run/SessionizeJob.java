package org.rumsessions.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.rumsessions.common.DateRange;
import org.rumsessions.common.PausePoints;
import org.rumsessions.common.SparkProfile;
import org.rumsessions.common.Termination;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.normalize.EventTimes;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.normalize.PersonalData;
import org.rumsessions.normalize.Tombstones;
import org.rumsessions.read.RawRecords;
import org.rumsessions.sessionize.SessionRules;
import org.rumsessions.sessionize.SessionSummaries;
import org.rumsessions.tables.EventRows;
import org.rumsessions.tables.InputFilesTable;
import org.rumsessions.tables.SessionRows;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;
import org.rumsessions.write.RunIntent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sessionize run over a date range, in its steps: read the raw partitions around the range;
 * decode, de-duplicate and assign each event its place in its session; tally the input; check the
 * rejected fraction; apply the data horizon; write the tables; record the run. Everything is
 * computed and checked before the first write; if a write fails, the tables already written are
 * restored to the versions the run found.
 */
public final class SessionizeJob {
  private static final Logger LOG = LoggerFactory.getLogger(SessionizeJob.class);

  private final SparkSession spark;
  private final PipelineConfig config;
  private final SessionRules rules;
  private final DeltaTables tables;
  private final SparkProfile profile;

  public SessionizeJob(SparkSession spark, PipelineConfig config) {
    this(spark, config, SparkProfile.timesOnly(spark));
  }

  /** @param profile where the run's phases are timed and its Spark jobs measured */
  public SessionizeJob(SparkSession spark, PipelineConfig config, SparkProfile profile) {
    this.spark = spark;
    this.profile = profile;
    this.config = config;
    this.rules = new SessionRules(config.session().timeout(), config.session().maxDuration());
    this.tables = new DeltaTables(spark, config.warehouse().path());
  }

  public RunCounts run(DateRange range, Optional<Instant> horizonOverride) {
    return run(range, horizonOverride, "range", null);
  }

  /**
   * @param trigger {@code range} for dates given on the command line, {@code changed} for dates
   *     that {@link ChangedInput} found
   * @param reason why these dates, for the run record (null for a plain range)
   */
  public RunCounts run(DateRange range, Optional<Instant> horizonOverride, String trigger, String reason) {
    Instant startedAt = Instant.now();
    String runId = newRunId(startedAt);
    int pad = config.session().paddingDays();
    LOG.info("run {}: range {}, reading {} day(s) around it", runId, range, pad);
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Tombstones tombstones;
      try (var p = profile.phase("tombstones")) {
        tombstones = ForgetJob.tombstones(tables);
      }
      if (!tombstones.isEmpty()) {
        LOG.info("run {}: dropping the records of {} forgotten session id(s) and user tag(s)", runId, tombstones.size());
      }
      RawRecords.Read read;
      try (var p = profile.phase("list input")) {
        read = readAroundRange(range, pad);
      }
      Dataset<Row> assigned;
      try (var p = profile.phase("plan")) {
        assigned = assign(read, pad, PersonalData.of(config.privacy(), tombstones), cached);
      }
      InputTally input;
      try (var p = profile.phase("decode, shuffle, rules")) {
        input = InputTally.of(assigned, range);
      }
      phase("decode, de-duplicate, session rules and count", startedAt);
      checkRejectedFraction(input, range);

      Long horizonNs = horizonOverride.map(EventTimes::epochNanos).orElse(input.latestEndNs());
      Dataset<Row> events = applyHorizon(assigned, horizonNs);
      RunCounts.EventCounts eventCounts;
      try (var p = profile.phase("counts")) {
        eventCounts = countEvents(events, range);
      }
      phase("event counts", startedAt);

      PausePoints.at("before-writes");
      Termination.checkpoint("writing the tables");
      TableWrites writes = new TableWrites(tables);
      RunCounts.SessionCounts sessionCounts =
          writeTables(writes, new RunIntent.Draft(runId, "sessionize", range, trigger, startedAt), read, assigned, events, cached);
      RunCounts counts =
          new RunCounts(
              new RunCounts.Run(
                  runId, range, startedAt, Instant.now(), horizonNs == null ? null : EventTimes.instant(horizonNs),
                  read.partitions(), trigger, reason, read.ignored()),
              input.counts(),
              eventCounts,
              sessionCounts);
      try (var p = profile.phase("write pipeline_runs")) {
        writes.then(Tables.RUNS, () -> tables.append(Tables.RUNS, RunRecord.toRows(spark, counts, config)));
        writes.finish();
      }
      phase("write pipeline_runs", startedAt);
      return counts;
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** The raw records of the range and of the padding days around it, file by file as listed now. */
  private RawRecords.Read readAroundRange(DateRange range, int pad) {
    RawRecords.Read read = new RawRecords(spark, config.input().path(), config.input().format()).read(range, range.widen(pad, pad));
    if (!read.ignored().isEmpty()) {
      LOG.warn("{} file(s) under the input are not read (README, Input: which files are read): {}",
          read.ignored().size(), read.ignored().subList(0, Math.min(20, read.ignored().size())));
    }
    return read;
  }

  /**
   * The one materialized result of the run: every record read, marked event, copy or rejected, each
   * event with its place in its session, after one decoding pass and one shuffle by session id.
   * Everything the run counts and writes is read from it. On local disk rather than in the heap: it
   * is as large as the input, is read only a few times, and the operating system's page cache serves
   * those reads without the garbage collector having to walk it (measured: with a 3 GiB heap,
   * keeping it in memory made the run 30% slower).
   */
  private Dataset<Row> assign(RawRecords.Read read, int pad, PersonalData personal, List<Dataset<Row>> cached) {
    Dataset<Row> marked = Normalizer.markCopies(Normalizer.decode(read.records(), pad, personal));
    if (!personal.tombstones().isEmpty()) {
      marked = Normalizer.markForgotten(marked);
    }
    // The keys that found the copies and ordered the session are spent once the rules have run:
    // event_seq stands for them from here on, and every byte left out is a byte not written to
    // the cache and not read back by each step after it.
    Dataset<Row> assigned = Normalizer.unpack(rules.assign(marked)).drop(ParsedEvents.DEDUP_KEY, ParsedEvents.RECORD_HASH, ParsedEvents.FORGOTTEN);
    return keep(cached, assigned, StorageLevel.DISK_ONLY());
  }

  /** A run over the limit of rejected records writes nothing. */
  private void checkRejectedFraction(InputTally tally, DateRange range) {
    RunCounts.InputCounts c = tally.counts();
    double limit = config.quality().maxRejectedFraction();
    if (c.rejectedFraction() > limit) {
      throw new RejectedFractionExceededException(
          String.format(
              "%,d of %,d records of %s were rejected (%.2f%%), over quality.max-rejected-fraction %.2f%% %s; nothing was written",
              c.recordsRejected(), c.recordsRead(), range, 100 * c.rejectedFraction(), 100 * limit, c.rejectedByReason()));
    }
  }

  /** The distinct events with the horizon's verdict on each: summarized, after session end, or open. */
  private Dataset<Row> applyHorizon(Dataset<Row> assigned, Long horizonNs) {
    return rules.atHorizon(
        assigned.where(col(Normalizer.KIND).equalTo(lit(Normalizer.EVENT))), horizonNs == null ? Long.MIN_VALUE : horizonNs);
  }

  private static RunCounts.EventCounts countEvents(Dataset<Row> events, DateRange range) {
    Map<String, Long> byStatus = new TreeMap<>();
    for (Row r : events.where(range.predicate(SessionRules.DATE)).groupBy(col(SessionRules.SUMMARY_STATUS)).count().collectAsList()) {
      byStatus.put(r.getString(0), r.getLong(1));
    }
    return new RunCounts.EventCounts(
        byStatus.getOrDefault(SessionRules.SUMMARIZED, 0L),
        byStatus.getOrDefault(SessionRules.AFTER_SESSION_END, 0L),
        byStatus.getOrDefault(SessionRules.SESSION_OPEN, 0L));
  }

  /**
   * Replaces the range in the four data tables, side by side, once the run is recorded as in progress. The session summaries are computed
   * inside their table's write, next to the other writes; their counts come back from there.
   */
  private RunCounts.SessionCounts writeTables(
      TableWrites writes, RunIntent.Draft run, RawRecords.Read read, Dataset<Row> assigned, Dataset<Row> events,
      List<Dataset<Row>> cached) {
    DateRange range = run.range();
    String inRange = range.predicate(SessionRules.DATE);
    Dataset<Row> summaries =
        keep(cached, new SessionSummaries(rules, config.session().maxProperties()).summarize(events).where(inRange));
    AtomicReference<RunCounts.SessionCounts> sessionCounts = new AtomicReference<>();
    Dataset<Row> rejected = RejectedRows.of(tables, ownedRejected(assigned, range), range, run.runId());
    Dataset<Row> files = InputManifest.rows(spark, read.files(), range, run.runId());
    writes
        // Already partitioned by session id and in event order from the session rules.
        .add(Tables.EVENTS, profiled(Tables.EVENTS, () -> tables.replaceRange(Tables.EVENTS, EventRows.of(events.where(inRange)), range)))
        .add(
            Tables.SESSIONS,
            profiled(
                Tables.SESSIONS,
                () -> {
                  sessionCounts.set(countSessions(summaries));
                  tables.replaceRange(Tables.SESSIONS, SessionRows.of(summaries), range, col(EventFields.SESSION_ID));
                }))
        .add(Tables.REJECTED, profiled(Tables.REJECTED, () -> tables.replaceRange(Tables.REJECTED, rejected, range, RejectedRows.ORDER)))
        .add(Tables.FILES, profiled(Tables.FILES, () -> tables.replaceRange(Tables.FILES, files, range, col(InputFilesTable.PATH))));
    // The run record is written last, after these: a run is recorded only when its data is.
    try (var p = profile.phase("prepare tables, journal")) {
      writes.begin(run, Tables.RUNS);
    }
    try (var p = profile.phase("tables side by side")) {
      writes.run(run.startedAt());
    }
    return sessionCounts.get();
  }

  /** The rejected records of the range's own input partitions. */
  private static Dataset<Row> ownedRejected(Dataset<Row> assigned, DateRange range) {
    return assigned.where(col(Normalizer.KIND).equalTo(lit(Normalizer.REJECTED)).and(owned(range)));
  }

  /** Whether a row was read from one of the range's input partitions (the padding days are read, not owned). */
  static Column owned(DateRange range) {
    return coalesce(expr(range.predicate(RawRecords.INPUT_DATE)), lit(false));
  }

  /** The session summaries' part of the run record, from the summaries of the range. */
  private static RunCounts.SessionCounts countSessions(Dataset<Row> summaries) {
    long written = 0;
    long deferred = 0;
    long dropped = 0;
    TreeSet<LocalDate> deferredDates = new TreeSet<>();
    for (Row r : summaries.groupBy(col(SessionSummaries.CLOSED), col(SessionSummaries.DATE))
        .agg(count(lit(1)), sum(SessionSummaries.PROPERTIES_DROPPED))
        .collectAsList()) {
      if (r.getBoolean(0)) {
        written += r.getLong(2);
        dropped += r.getLong(3);
      } else {
        deferred += r.getLong(2);
        deferredDates.add(r.getDate(1).toLocalDate());
      }
    }
    return new RunCounts.SessionCounts(written, deferred, dropped, List.copyOf(deferredDates));
  }

  /** A table's write, timed and measured as its own phase. */
  private TableWrites.Write profiled(TableSpec table, TableWrites.Write write) {
    return () -> {
      try (var p = profile.phase("write " + table.name())) {
        write.run();
      }
    };
  }

  private static void phase(String what, Instant since) {
    LOG.info("{} done at {} s", what, String.format("%.1f", (Instant.now().toEpochMilli() - since.toEpochMilli()) / 1000.0));
  }

  private static Dataset<Row> keep(List<Dataset<Row>> cached, Dataset<Row> ds) {
    return keep(cached, ds, StorageLevel.MEMORY_AND_DISK());
  }

  private static Dataset<Row> keep(List<Dataset<Row>> cached, Dataset<Row> ds, StorageLevel level) {
    Dataset<Row> p = ds.persist(level);
    cached.add(p);
    return p;
  }

  static String newRunId(Instant at) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at)
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
