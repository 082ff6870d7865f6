package org.rumsessions.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.rumsessions.common.DateRange;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.normalize.EventTimes;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.read.RawRecords;
import org.rumsessions.sessionize.SessionRules;
import org.rumsessions.sessionize.SessionSummaries;
import org.rumsessions.tables.EventRows;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sessionize run over a date range: read the raw partitions around it, decode and
 * de-duplicate, apply the session rules, then replace the range in each table. Everything is
 * computed and checked before the first write; if a write fails, the tables already written are
 * restored to the versions the run found.
 */
public final class SessionizeJob {
  private static final Logger LOG = LoggerFactory.getLogger(SessionizeJob.class);
  private static final long DAY_NS = Duration.ofDays(1).toNanos();

  private final SparkSession spark;
  private final PipelineConfig config;
  private final SessionRules rules;
  private final DeltaTables tables;

  public SessionizeJob(SparkSession spark, PipelineConfig config) {
    this.spark = spark;
    this.config = config;
    this.rules = new SessionRules(config.session().timeoutDuration(), config.session().maxDurationValue());
    this.tables = new DeltaTables(spark, config.warehouse().path());
  }

  /**
   * Days a run reads on each side of its range: at least one, and enough that any session that
   * touches the range (timeout + max duration long at most) is seen whole.
   */
  public int paddingDays() {
    long ns = rules.timeoutNs() + rules.maxDurationNs();
    return (int) Math.max(1, (ns + DAY_NS - 1) / DAY_NS);
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
    int pad = paddingDays();
    LOG.info("run {}: range {}, reading {} day(s) around it", runId, range, pad);

    RawRecords.Read read =
        new RawRecords(spark, config.input().path(), config.input().inputFormat()).read(range, range.widen(pad, pad));
    if (!read.ignored().isEmpty()) {
      LOG.warn("{} file(s) under the input are not read (README, Input: which files are read): {}",
          read.ignored().size(), read.ignored().subList(0, Math.min(20, read.ignored().size())));
    }
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      String owned = range.predicate(ParsedEvents.INPUT_DATE);
      // The one materialized result of the run: every record read, marked event, copy or rejected,
      // each event with its place in its session, after one decoding pass and one shuffle by
      // session id. Everything the run counts and writes is read from it.
      // On local disk rather than in the heap: it is as large as the input, is read only a few times,
      // and the operating system's page cache serves those reads without the garbage collector
      // having to walk it (measured: with a 3 GiB heap, keeping it in memory made the run 30% slower).
      Dataset<Row> assigned =
          keep(cached, rules.assign(Normalizer.markCopies(Normalizer.decode(read.records(), pad))), StorageLevel.DISK_ONLY());

      // The range's counts by reason, its accepted records and distinct events, and the data
      // horizon (the latest end among all accepted records read), in one small aggregation.
      Map<String, Long> byReason = new TreeMap<>();
      long accepted = 0;
      long keptOwned = 0;
      long rejected = 0;
      Long latestEnd = null;
      Column isOwned = coalesce(expr(owned), lit(false));
      for (Row r : assigned
          .groupBy(col(Normalizer.KIND), isOwned.as("owned"), col(ParsedEvents.REJECT_REASON))
          .agg(count(lit(1)), max(col(ParsedEvents.END_NS)))
          .collectAsList()) {
        String kind = r.getString(0);
        boolean isOwnedRow = r.getBoolean(1);
        long n = r.getLong(3);
        if (kind.equals(Normalizer.REJECTED)) {
          if (isOwnedRow) {
            rejected += n;
            byReason.merge(r.getString(2), n, Long::sum);
          }
          continue;
        }
        if (isOwnedRow) {
          accepted += n;
          keptOwned += kind.equals(Normalizer.EVENT) ? n : 0;
        }
        if (!r.isNullAt(4)) {
          latestEnd = latestEnd == null ? r.getLong(4) : Math.max(latestEnd, r.getLong(4));
        }
      }
      long recordsRead = accepted + rejected;
      phase("decode, de-duplicate, session rules and count", startedAt);
      double fraction = recordsRead == 0 ? 0 : (double) rejected / recordsRead;
      double limit = config.quality().maxRejectedFraction();
      if (fraction > limit) {
        throw new RejectedFractionExceededException(
            String.format(
                "%,d of %,d records of %s were rejected (%.2f%%), over quality.max-rejected-fraction %.2f%% %s; nothing was written",
                rejected, recordsRead, range, 100 * fraction, 100 * limit, byReason));
      }

      Long horizonNs = horizonOverride.map(SessionizeJob::nanos).orElse(latestEnd);
      Dataset<Row> events =
          rules.atHorizon(
              assigned.where(col(Normalizer.KIND).equalTo(lit(Normalizer.EVENT))), horizonNs == null ? Long.MIN_VALUE : horizonNs);
      String inRange = range.predicate(SessionRules.DATE);
      Map<String, Long> byStatus = new TreeMap<>();
      for (Row r : events.where(inRange).groupBy(col(SessionRules.SUMMARY_STATUS)).count().collectAsList()) {
        byStatus.put(r.getString(0), r.getLong(1));
      }
      long duplicates = accepted - keptOwned;
      phase("event counts", startedAt);

      // Everything is counted and checked: write. The session summaries are computed inside their
      // table's write, next to the other writes; their counts join the run record afterwards.
      Dataset<Row> sessions =
          keep(cached, new SessionSummaries(rules, config.session().maxProperties()).summarize(events).where(inRange));
      java.util.concurrent.atomic.AtomicReference<SessionCounts> sessionCounts = new java.util.concurrent.atomic.AtomicReference<>();
      Dataset<Row> rejectedRows =
          rejectedRows(assigned.where(col(Normalizer.KIND).equalTo(lit(Normalizer.REJECTED)).and(isOwned)), range, runId);
      Dataset<Row> fileRows = InputManifest.rows(spark, read.files(), range, runId);
      TableWrites writes =
          new TableWrites(tables)
              // Already partitioned by session id and in event order from the session rules.
              .add(Tables.EVENTS, () -> tables.replaceRange(Tables.EVENTS, EventRows.of(events.where(inRange)), range))
              .add(
                  Tables.SESSIONS,
                  () -> {
                    sessionCounts.set(SessionCounts.of(sessions));
                    tables.replaceRange(
                        Tables.SESSIONS,
                        sessions.where(col(SessionSummaries.CLOSED)).drop(SessionSummaries.CLOSED, SessionSummaries.PROPERTIES_DROPPED),
                        range,
                        col("dt.rum.session.id"));
                  })
              .add(Tables.REJECTED, () -> tables.replaceRange(Tables.REJECTED, rejectedRows, range, col("source_file"), col("raw_record")))
              .add(Tables.FILES, () -> tables.replaceRange(Tables.FILES, fileRows, range, col("path")));
      writes.run(startedAt);

      SessionCounts sc = sessionCounts.get();
      long written = byStatus.values().stream().mapToLong(Long::longValue).sum();
      RunCounts counts =
          new RunCounts(
              runId, range, startedAt, Instant.now(),
              horizonNs == null ? null : EventTimes.instant(horizonNs),
              read.partitions(), recordsRead, rejected, byReason, duplicates,
              recordsRead - rejected - duplicates, written,
              byStatus.getOrDefault(SessionRules.SUMMARIZED, 0L),
              byStatus.getOrDefault(SessionRules.AFTER_SESSION_END, 0L),
              byStatus.getOrDefault(SessionRules.SESSION_OPEN, 0L),
              sc.written(), sc.deferred(), sc.propertiesDropped(), sc.deferredDates(), trigger, reason, read.ignored());
      // The run record comes last: a run is recorded only when all its data tables are written.
      try {
        tables.append(Tables.RUNS, RunRecord.toRows(spark, counts, config));
      } catch (Exception e) {
        throw writes.restoreAfter(e);
      }
      phase("write pipeline_runs", startedAt);
      return counts;
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** The session summaries' part of the run record, from the summaries of the range. */
  private record SessionCounts(long written, long deferred, long propertiesDropped, List<java.time.LocalDate> deferredDates) {
    static SessionCounts of(Dataset<Row> sessions) {
      long written = 0;
      long deferred = 0;
      long dropped = 0;
      java.util.TreeSet<java.time.LocalDate> deferredDates = new java.util.TreeSet<>();
      for (Row r : sessions.groupBy(col(SessionSummaries.CLOSED), col(SessionRules.DATE))
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
      return new SessionCounts(written, deferred, dropped, List.copyOf(deferredDates));
    }
  }

  /**
   * The range's rejected records. A record rejected before keeps the id of the run that first
   * rejected it, so that a rerun over the same input leaves the table identical.
   */
  private Dataset<Row> rejectedRows(Dataset<Row> ownedRejected, DateRange range, String runId) {
    Dataset<Row> fresh =
        ownedRejected
            .select(
                col(ParsedEvents.RAW),
                col(ParsedEvents.REJECT_REASON),
                col(ParsedEvents.REJECT_DETAIL),
                col(ParsedEvents.SOURCE_FILE),
                col(ParsedEvents.INPUT_DATE).as("date"));
    if (!tables.exists(Tables.REJECTED)) {
      return withRunId(fresh, lit(runId));
    }
    Dataset<Row> earlier =
        tables.read(Tables.REJECTED)
            .where(range.predicate("date"))
            .groupBy(col("source_file"), col("raw_record"), col("reason"))
            .agg(min(col("run_id")).as("earlier_run_id"));
    Dataset<Row> joined =
        fresh.join(
            earlier,
            fresh.col("source_file").eqNullSafe(earlier.col("source_file"))
                .and(fresh.col("raw_record").eqNullSafe(earlier.col("raw_record")))
                .and(fresh.col("reason").eqNullSafe(earlier.col("reason"))),
            "left");
    return withRunId(
        joined.select(
            fresh.col("raw_record"), fresh.col("reason"), fresh.col("detail"), fresh.col("source_file"),
            fresh.col("date"), col("earlier_run_id")),
        coalesce(col("earlier_run_id"), lit(runId)));
  }

  private static Dataset<Row> withRunId(Dataset<Row> rows, org.apache.spark.sql.Column runId) {
    return rows.select(
        col("raw_record"), col("reason"), col("detail"), col("source_file"), runId.as("run_id"), col("date"));
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

  private static long nanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  static String newRunId(Instant at) {
    return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(at)
        + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
