package org.rumsessions.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
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
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.normalize.EventTimes;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.read.RawRecords;
import org.rumsessions.sessionize.SessionRules;
import org.rumsessions.sessionize.SessionSummaries;
import org.rumsessions.tables.EventRows;
import org.rumsessions.tables.TableSpec;
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
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Dataset<Row> decoded = keep(cached, Normalizer.decode(read.records(), pad));
      String owned = range.predicate(ParsedEvents.INPUT_DATE);

      // One pass over the decoded records: the range's counts by reason, and the data horizon
      // (the latest end among all records read).
      Map<String, Long> byReason = new TreeMap<>();
      long recordsRead = 0;
      long accepted = 0;
      Long latestEnd = null;
      for (Row r : decoded
          .groupBy(coalesce(expr(owned), lit(false)).as("owned"), col(ParsedEvents.REJECT_REASON))
          .agg(count(lit(1)), max(col(ParsedEvents.END_NS)))
          .collectAsList()) {
        boolean isOwned = r.getBoolean(0);
        long n = r.getLong(2);
        if (r.isNullAt(1) && !r.isNullAt(3)) {
          latestEnd = latestEnd == null ? r.getLong(3) : Math.max(latestEnd, r.getLong(3));
        }
        if (!isOwned) {
          continue;
        }
        recordsRead += n;
        if (r.isNullAt(1)) {
          accepted += n;
        } else {
          byReason.merge(r.getString(1), n, Long::sum);
        }
      }
      long rejected = recordsRead - accepted;
      phase("decode and count", startedAt);
      double fraction = recordsRead == 0 ? 0 : (double) rejected / recordsRead;
      double limit = config.quality().maxRejectedFraction();
      if (fraction > limit) {
        throw new RejectedFractionExceededException(
            String.format(
                "%,d of %,d records of %s were rejected (%.2f%%), over quality.max-rejected-fraction %.2f%% %s; nothing was written",
                rejected, recordsRead, range, 100 * fraction, 100 * limit, byReason));
      }

      Long horizonNs = horizonOverride.map(SessionizeJob::nanos).orElse(latestEnd);
      Dataset<Row> assigned =
          keep(cached, rules.assign(Normalizer.distinctEvents(decoded), horizonNs == null ? Long.MIN_VALUE : horizonNs));

      String inRange = range.predicate(SessionRules.DATE);
      // One pass over the distinct events: the range's rows by status, and how many distinct
      // events came from the range's input partitions (the rest of its accepted records are copies).
      Map<String, Long> byStatus = new TreeMap<>();
      long keptOwned = 0;
      for (Row r : assigned
          .groupBy(expr(inRange).as("written"), coalesce(expr(owned), lit(false)).as("owned"), col(SessionRules.SUMMARY_STATUS))
          .count()
          .collectAsList()) {
        if (r.getBoolean(0)) {
          byStatus.merge(r.getString(2), r.getLong(3), Long::sum);
        }
        if (r.getBoolean(1)) {
          keptOwned += r.getLong(3);
        }
      }
      long duplicates = accepted - keptOwned;
      phase("sessions", startedAt);
      Dataset<Row> sessions =
          keep(cached, new SessionSummaries(rules, config.session().maxProperties()).summarize(assigned).where(inRange));
      long sessionsWritten = 0;
      long sessionsDeferred = 0;
      long dropped = 0;
      java.util.TreeSet<java.time.LocalDate> deferredDates = new java.util.TreeSet<>();
      for (Row r : sessions.groupBy(col(SessionSummaries.CLOSED), col(SessionRules.DATE))
          .agg(count(lit(1)), org.apache.spark.sql.functions.sum(SessionSummaries.PROPERTIES_DROPPED))
          .collectAsList()) {
        if (r.getBoolean(0)) {
          sessionsWritten += r.getLong(2);
          dropped += r.getLong(3);
        } else {
          sessionsDeferred += r.getLong(2);
          deferredDates.add(r.getDate(1).toLocalDate());
        }
      }
      phase("session summaries", startedAt);
      Dataset<Row> eventRows = EventRows.of(assigned.where(inRange));
      Dataset<Row> sessionRows =
          sessions.where(col(SessionSummaries.CLOSED)).drop(SessionSummaries.CLOSED, SessionSummaries.PROPERTIES_DROPPED);
      Dataset<Row> rejectedRows = rejectedRows(decoded.where(owned), range, runId);

      long written = byStatus.values().stream().mapToLong(Long::longValue).sum();
      RunCounts counts =
          new RunCounts(
              runId, range, startedAt, null,
              horizonNs == null ? null : EventTimes.instant(horizonNs),
              read.partitions(), recordsRead, rejected, byReason, duplicates,
              recordsRead - rejected - duplicates, written,
              byStatus.getOrDefault(SessionRules.SUMMARIZED, 0L),
              byStatus.getOrDefault(SessionRules.AFTER_SESSION_END, 0L),
              byStatus.getOrDefault(SessionRules.SESSION_OPEN, 0L),
              sessionsWritten, sessionsDeferred, dropped, List.copyOf(deferredDates), trigger, reason);

      Dataset<Row> fileRows = InputManifest.rows(spark, read.files(), range, runId);
      return writeAll(range, eventRows, sessionRows, rejectedRows, fileRows, counts);
    } finally {
      cached.forEach(Dataset::unpersist);
    }
  }

  /** Writes the three data tables, then the run record; returns the record as written. */
  private RunCounts writeAll(
      DateRange range,
      Dataset<Row> eventRows,
      Dataset<Row> sessionRows,
      Dataset<Row> rejectedRows,
      Dataset<Row> fileRows,
      RunCounts counts) {
    Map<TableSpec, Long> before = new java.util.LinkedHashMap<>();
    for (TableSpec t : Tables.ALL) {
      before.put(t, tables.version(t));
    }
    List<TableSpec> done = new ArrayList<>();
    try {
      // Already partitioned by session id and in event order from the session window.
      tables.replaceRange(Tables.EVENTS, eventRows, range);
      done.add(Tables.EVENTS);
      phase("write user_events", counts.startedAt());
      tables.replaceRange(Tables.SESSIONS, sessionRows, range, col("dt.rum.session.id"));
      done.add(Tables.SESSIONS);
      phase("write user_sessions", counts.startedAt());
      tables.replaceRange(Tables.REJECTED, rejectedRows, range, col("source_file"), col("raw_record"));
      done.add(Tables.REJECTED);
      phase("write rejected_events", counts.startedAt());
      tables.replaceRange(Tables.FILES, fileRows, range, col("path"));
      done.add(Tables.FILES);
      RunCounts finished = counts.endedAt(Instant.now());
      tables.append(Tables.RUNS, RunRecord.toRows(spark, finished, config));
      phase("write pipeline_runs", counts.startedAt());
      return finished;
    } catch (Exception e) {
      // Spark's AnalysisException is checked in Java's eyes, so catch everything to restore.
      for (TableSpec t : done) {
        try {
          tables.restore(t, before.get(t));
          LOG.warn("restored {} to version {} after a failed write", t.name(), before.get(t));
        } catch (Exception restoreFailure) {
          e.addSuppressed(restoreFailure);
        }
      }
      throw e instanceof RuntimeException r ? r : new WriteFailedException("writing the tables failed: " + e.getMessage(), e);
    }
  }

  /**
   * The range's rejected records. A record rejected before keeps the id of the run that first
   * rejected it, so that a rerun over the same input leaves the table identical.
   */
  private Dataset<Row> rejectedRows(Dataset<Row> ownedDecoded, DateRange range, String runId) {
    Dataset<Row> fresh =
        ownedDecoded
            .where(col(ParsedEvents.REJECT_REASON).isNotNull())
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
    Dataset<Row> p = ds.persist(StorageLevel.MEMORY_AND_DISK());
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
