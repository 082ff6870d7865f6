package org.rumsessions.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.ConfigLoader;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.common.SparkSessions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's floor for Spark: what a first attempt at sessions looks like. It reads the same
 * files as rum-sessions with {@code spark.read.json} and schema inference, groups by session id,
 * counts events and takes the first and last start time as text, and writes a Delta table. No
 * decoding of times, no de-duplication, no session rules, no rejected records: the difference to
 * rum-sessions is the price of the contract.
 *
 * <p>The session id is looked up under the three spellings the generator writes (flat, nested,
 * and nested one level), so that the grouping at least sees every event.
 */
@Command(
    name = "naive-spark-baseline",
    mixinStandardHelpOptions = true,
    description = "spark.read.json, groupBy session id, a few aggregates, a Delta write: the naive baseline.")
public final class NaiveSparkBaseline implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "The pipeline's configuration file (input, session and spark sections)")
  Path config;

  @Option(names = "--from", required = true, description = "First date of the range (UTC)")
  LocalDate from;

  @Option(names = "--to", required = true, description = "Last date of the range (UTC), inclusive")
  LocalDate to;

  @Option(names = "--input", description = "Raw events folder; overrides input.path")
  Path input;

  @Option(names = "--out", required = true, description = "Folder of the Delta table naive_sessions")
  Path out;

  public static void main(String[] args) {
    System.exit(new CommandLine(new NaiveSparkBaseline()).execute(args));
  }

  @Override
  public Integer call() {
    long started = System.nanoTime();
    PipelineConfig c =
        PipelineConfig.resolve(
            ConfigLoader.load(config), new ConfigFlags(input == null ? null : input.toString(), null, null), Needs.INPUT_AND_WAREHOUSE);
    List<String> files = InputListing.of(c, from, to).localPaths().stream().map(Path::toString).toList();

    SparkSession spark = SparkSessions.create(c);
    try {
      Dataset<Row> raw = spark.read().json(files.toArray(String[]::new));
      Column sessionId = firstPresent(raw, "`dt.rum.session.id`", "dt.rum.session.id", "dt.`rum.session.id`");
      Dataset<Row> sessions =
          raw.where(sessionId.isNotNull())
              .groupBy(sessionId.as("session_id"))
              .agg(
                  count(lit(1)).as("event_count"),
                  min(col("start_time")).as("first_start_time"),
                  max(col("start_time")).as("last_start_time"));
      String table = out.resolve("naive_sessions").toString();
      sessions.write().format("delta").mode("overwrite").save(table);
      long written = spark.read().format("delta").load(table).count();
      System.out.printf(
          "naive-spark-baseline: %,d files, %,d sessions into %s; %.1f s%n",
          files.size(), written, table, (System.nanoTime() - started) / 1e9);
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** The session id under every spelling the inferred schema has, first one present wins. */
  private static Column firstPresent(Dataset<Row> rows, String... spellings) {
    List<Column> present = new ArrayList<>();
    for (String s : spellings) {
      try {
        rows.select(col(s));
        present.add(col(s));
      } catch (Exception absent) {
        // Schema inference saw no record with this spelling.
      }
    }
    if (present.isEmpty()) {
      throw new IllegalStateException("no session id column in the inferred schema");
    }
    return coalesce(present.toArray(Column[]::new));
  }
}
