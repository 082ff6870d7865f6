package org.rumsessions.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.common.DateRange;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.normalize.Columns;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.normalize.PersonalData;
import org.rumsessions.read.InputFiles;
import org.rumsessions.read.RawRecords;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;

/**
 * What {@code sessionize --changed} recomputes: the dates that input files added, changed or
 * removed since the runs recorded in {@code input_files} can affect, and nothing more.
 *
 * <p>A new event can change its own start date's partition, and any session of its session id
 * (its first event may now be earlier, a gap may now be bridged), so every date on which that
 * session id has events. A removed or rewritten file affects the dates of the events read from it
 * and of their session ids. The changed input partition itself owns its rejected records. Dates whose
 * sessions were still open at the last horizon are recomputed too, since new input moves it.
 */
public final class ChangedInput {
  private static final String SID = "sid";

  private final SparkSession spark;
  private final PipelineConfig config;
  private final DeltaTables tables;

  public ChangedInput(SparkSession spark, PipelineConfig config) {
    this.spark = spark;
    this.config = config;
    this.tables = new DeltaTables(spark, config.warehouse().path());
  }

  /** The dates to recompute, each with why; empty when nothing changed. */
  public record Plan(Map<LocalDate, Set<String>> reasons, List<LocalDate> skipped) {
    public boolean isEmpty() {
      return reasons.isEmpty();
    }

    /** Consecutive dates as ranges, so each range is one run. */
    public List<DateRange> ranges() {
      List<DateRange> out = new ArrayList<>();
      LocalDate start = null;
      LocalDate prev = null;
      for (LocalDate d : reasons.keySet()) {
        if (prev == null || !d.equals(prev.plusDays(1))) {
          if (start != null) {
            out.add(new DateRange(start, prev));
          }
          start = d;
        }
        prev = d;
      }
      if (start != null) {
        out.add(new DateRange(start, prev));
      }
      return out;
    }

    public String reason(DateRange range) {
      return range.days().stream()
          .map(d -> d + ": " + String.join("; ", reasons.get(d)))
          .collect(Collectors.joining(" | "));
    }
  }

  public Plan plan() {
    InputFiles listing = new InputFiles(spark, config.input().path(), config.input().format());
    List<InputFiles.InputFile> current = listing.listAll();
    Map<String, InputFiles.InputFile> recorded = recorded();
    Map<LocalDate, Set<String>> reasons = new TreeMap<>();

    List<String> changed = new ArrayList<>();
    List<InputFiles.InputFile> changedFiles = new ArrayList<>();
    Set<String> seen = new TreeSet<>();
    for (InputFiles.InputFile f : current) {
      seen.add(f.path());
      InputFiles.InputFile before = recorded.get(f.path());
      if (before == null || before.size() != f.size() || before.modificationTime() != f.modificationTime()) {
        changed.add(f.path());
        changedFiles.add(f);
        add(reasons, f.date(), before == null ? "new input files in its partition" : "changed input files in its partition");
      }
    }
    List<String> gone = new ArrayList<>();
    for (InputFiles.InputFile f : recorded.values()) {
      if (!seen.contains(f.path())) {
        gone.add(f.path());
        add(reasons, f.date(), "input files removed from its partition");
      }
    }

    Set<String> sessionIds = new TreeSet<>();
    long latestNewEnd = Long.MIN_VALUE;
    if (!changed.isEmpty()) {
      int pad = config.session().paddingDays();
      RawRecords.Records raw =
          new RawRecords(spark, config.input().path(), config.input().format()).readFiles(changedFiles);
      Dataset<Row> accepted =
          // Only session ids and dates leave this decoding; nothing of it is stored.
          Normalizer.decode(raw, pad, PersonalData.AS_RECEIVED).where(col(ParsedEvents.REJECT_REASON).isNull())
              .select(
                  Columns.field(EventFields.SESSION_ID).as(SID),
                  Columns.utcDateFromNanos(ParsedEvents.START_NS).as(DateRange.DATE),
                  col(ParsedEvents.END_NS))
              .groupBy(SID, DateRange.DATE)
              .agg(max(ParsedEvents.END_NS));
      for (Row r : accepted.collectAsList()) {
        add(reasons, r.getDate(1).toLocalDate(), "new events start on it");
        sessionIds.add(r.getString(0));
        latestNewEnd = Math.max(latestNewEnd, r.getLong(2));
      }
    }
    if (tables.exists(Tables.EVENTS) && (!sessionIds.isEmpty() || !gone.isEmpty() || !changed.isEmpty())) {
      Dataset<Row> events =
          tables.read(Tables.EVENTS).select(col(EventFields.SESSION_ID).as(SID), col(DateRange.DATE), col(RawRecords.SOURCE_FILE));
      List<String> rewritten = new ArrayList<>();
      gone.forEach(f -> rewritten.addAll(sourceFileSpellings(f)));
      changed.forEach(f -> rewritten.addAll(sourceFileSpellings(f)));
      Dataset<Row> fromOldFiles =
          events.join(spark.createDataset(rewritten, Encoders.STRING()).toDF(RawRecords.SOURCE_FILE), RawRecords.SOURCE_FILE)
              .select(SID);
      Dataset<Row> touched =
          spark.createDataset(new ArrayList<>(sessionIds), Encoders.STRING()).toDF(SID).union(fromOldFiles).distinct();
      for (Row r : events.join(touched, SID).select(col(DateRange.DATE)).distinct().collectAsList()) {
        add(reasons, r.getDate(0).toLocalDate(), "sessions of session ids with changed events have events on it");
      }
    }
    // Only input that reaches past the last horizon can close a session that was left open.
    if (latestNewEnd > lastHorizonNanos()) {
      deferredDates().forEach(d -> add(reasons, d, "sessions still open at the last horizon"));
    }

    Set<LocalDate> present = new TreeSet<>(listing.partitions());
    List<LocalDate> skipped = new ArrayList<>();
    for (LocalDate d : new ArrayList<>(reasons.keySet())) {
      if (!present.contains(d)) {
        reasons.remove(d);
        skipped.add(d);
      }
    }
    return new Plan(reasons, skipped);
  }

  /** Drops the recorded files of input partitions that no longer exist. */
  public void forget(List<LocalDate> gone) {
    for (LocalDate d : gone) {
      if (tables.exists(Tables.FILES)) {
        tables.replaceRange(Tables.FILES, InputManifest.none(spark), DateRange.of(d));
      }
    }
  }

  /**
   * The files recorded by runs that finished. A run that died between its commits may have written
   * input_files and nothing else; trusting its rows would make its dates look done.
   */
  private Map<String, InputFiles.InputFile> recorded() {
    Map<String, InputFiles.InputFile> m = new HashMap<>();
    if (!tables.exists(Tables.FILES) || !tables.exists(Tables.RUNS)) {
      return m;
    }
    Dataset<Row> finished = succeededRuns().select(col(PipelineRunsTable.RUN_ID));
    for (Row r : tables.read(Tables.FILES).join(finished, PipelineRunsTable.RUN_ID).collectAsList()) {
      InputFiles.InputFile f = InputManifest.file(r);
      m.put(f.path(), f);
    }
    return m;
  }

  private long lastHorizonNanos() {
    if (!tables.exists(Tables.RUNS)) {
      return Long.MIN_VALUE;
    }
    Row r = succeededRuns().agg(max(PipelineRunsTable.HORIZON)).head();
    if (r.isNullAt(0)) {
      return Long.MIN_VALUE;
    }
    Instant i = r.getTimestamp(0).toInstant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** Dates whose latest run left sessions open. */
  private List<LocalDate> deferredDates() {
    if (!tables.exists(Tables.RUNS)) {
      return List.of();
    }
    Map<LocalDate, Boolean> latest = new TreeMap<>();
    // forget runs have no dates.
    for (Row r : succeededRuns().where(col(PipelineRunsTable.FROM_DATE).isNotNull()).orderBy(col(PipelineRunsTable.ENDED_AT)).collectAsList()) {
      LocalDate from = r.<Date>getAs(PipelineRunsTable.FROM_DATE).toLocalDate();
      LocalDate to = r.<Date>getAs(PipelineRunsTable.TO_DATE).toLocalDate();
      List<Date> deferred = r.getList(r.fieldIndex(PipelineRunsTable.DEFERRED_DATES));
      for (LocalDate d : new DateRange(from, to).days()) {
        latest.put(d, deferred.stream().anyMatch(x -> x.toLocalDate().equals(d)));
      }
    }
    return latest.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
  }

  /**
   * How a listed file can appear in the tables' {@code source_file}: as listed, which is how JSON
   * Lines and Parquet input name it; and URL-encoded ({@code a b.jsonl} as {@code a%20b.jsonl}), the
   * form Spark gives {@code _metadata.file_path}, which Delta input's rows and the rows of runs of
   * earlier versions carry.
   */
  static List<String> sourceFileSpellings(String listedPath) {
    String encoded = new org.apache.hadoop.fs.Path(listedPath).toUri().toString();
    return encoded.equals(listedPath) ? List.of(listedPath) : List.of(listedPath, encoded);
  }

  private Dataset<Row> succeededRuns() {
    return tables.read(Tables.RUNS).where(col(PipelineRunsTable.STATUS).equalTo(lit(PipelineRunsTable.SUCCEEDED)));
  }

  private static void add(Map<LocalDate, Set<String>> reasons, LocalDate d, String why) {
    reasons.computeIfAbsent(d, k -> new TreeSet<>()).add(why);
  }
}
