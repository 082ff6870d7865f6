package org.rumsessions.common;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.config.Redaction;

/** Builds the Spark session a command runs in, from the configuration's {@code spark} section. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * The session, with each setting taken as a flag over the file over the default: what
   * spark-submit sets (its {@code --conf}, {@code --master}, spark-defaults.conf) wins over the
   * file's {@code spark} section, which wins over {@link #defaults()}.
   */
  public static SparkSession create(PipelineConfig config) {
    SparkConf launched = new SparkConf();
    SparkSession.Builder b = SparkSession.builder();
    if (!launched.contains("spark.app.name")) {
      b = b.appName(config.spark().appName());
    }
    if (!launched.contains("spark.master")) {
      b = b.master(config.spark().master());
    }
    Map<String, String> settings = new LinkedHashMap<>(defaults());
    settings.putAll(config.spark().conf());
    for (Map.Entry<String, String> e : settings.entrySet()) {
      if (!launched.contains(e.getKey())) {
        b = b.config(e.getKey(), e.getValue());
      }
    }
    return b.getOrCreate();
  }

  /**
   * What every run needs: Delta and UTC. Delta rebuilds a table's state with 50 tasks by default;
   * the tables' logs are small and checkpointed, so one task does it faster: each query of the sql
   * command that opens a table waits for it (SELECT count(*) FROM user_sessions: about 0.5 s less
   * than with 4 tasks on 2 cores, measured). The rest is measured
   * on the benchmark (docs/performance.md):
   *
   * <ul>
   *   <li>A run caches one result on local disk and reads it a few times before it ends;
   *       compressing it cost more CPU than it saved, and Kryo writes and reads its blocks faster
   *       than Java serialization (together 10% of the run at 2 million events).
   *   <li>The session summaries aggregate rows that already arrive sorted by session, so a sort
   *       aggregate needs no hash map and no sort of its own.
   *   <li>user_events rows arrive clustered by session, not by date: a few open writers per task
   *       (one per date of the range) spare a sort of every event by date before writing.
   * </ul>
   *
   * <p>Spark hides settings whose name or value matches {@code spark.redaction.regex} wherever it
   * shows its configuration; its default misses object store keys (see {@link Redaction}).
   */
  public static Map<String, String> defaults() {
    return Map.ofEntries(
        Map.entry("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension"),
        Map.entry("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog"),
        Map.entry("spark.sql.session.timeZone", "UTC"),
        Map.entry("spark.databricks.delta.snapshotPartitions", "1"),
        Map.entry("spark.sql.inMemoryColumnarStorage.compressed", "false"),
        Map.entry("spark.serializer", "org.apache.spark.serializer.KryoSerializer"),
        Map.entry("spark.sql.execution.replaceHashWithSortAgg", "true"),
        Map.entry("spark.sql.maxConcurrentOutputFileWriters", "4"),
        // Whole-stage code generation only for plans of at most 40 columns (Spark's default: 100).
        // The run's rows carry some 60 columns through the shuffle, the rules and the cache; a
        // generated loop over them took the JIT compiler seconds per query and was no faster than
        // Spark's own operators once compiled (2 million events: 82.5 s -> 66 s, CPU 146 -> 115 s;
        // docs/performance.md). Narrow plans (counts, sql's queries) keep it.
        Map.entry("spark.sql.codegen.maxFields", "40"),
        // Parquet's own INT64 timestamps instead of Spark's legacy INT96 default: user_events has
        // three timestamps per event, and the dictionary writer of INT96 values was 7% of a run's
        // CPU (measured with a profiler at 2 million events). Every reader of Delta reads both.
        Map.entry("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS"),
        // zstd rather than snappy: user_events 38% smaller (69 -> 43 MB at 2 million events) for the
        // same write time, measured; every Parquet reader of Delta (Spark 3.5 and 4, DuckDB) reads it.
        Map.entry("spark.sql.parquet.compression.codec", "zstd"),
        // Columns with a value of their own on (almost) every row: a dictionary is built for them,
        // found useless and dropped, once per file (user_events' id, times and event_seq; names, not
        // paths, so the same-named columns of user_sessions too). Other columns keep their dictionary.
        Map.entry("spark.hadoop.parquet.enable.dictionary#id", "false"),
        Map.entry("spark.hadoop.parquet.enable.dictionary#start_time", "false"),
        Map.entry("spark.hadoop.parquet.enable.dictionary#end_time", "false"),
        Map.entry("spark.hadoop.parquet.enable.dictionary#timestamp", "false"),
        Map.entry("spark.hadoop.parquet.enable.dictionary#event_seq", "false"),
        // Spark 4's defaults, so that both Spark lines write and read times before 1900 alike:
        // Spark 3.5 refuses by default to write them to Parquet (events near the start of the
        // nanosecond range, 1677-09-21, are valid input), where Spark 4 writes them as they are.
        Map.entry("spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED"),
        Map.entry("spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED"),
        Map.entry("spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED"),
        Map.entry("spark.sql.parquet.int96RebaseModeInRead", "CORRECTED"),
        Map.entry("spark.redaction.regex", Redaction.REGEX));
  }
}
