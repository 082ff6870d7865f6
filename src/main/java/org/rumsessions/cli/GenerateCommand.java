package org.rumsessions.cli;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.generate.GenerateJob;
import org.rumsessions.generate.GenerateStats;
import org.rumsessions.generate.GeneratorSpec;
import org.rumsessions.generate.OutputFormat;
import org.rumsessions.common.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rum-sessions generate}: deterministic, realistic raw RUM events for tests and demos. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write realistic raw RUM events in the input layout (date=YYYY-MM-DD folders of JSON Lines or Parquet).",
      "The same arguments always give the same content."
    })
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "PATH", description = "Folder to write the date=YYYY-MM-DD folders into")
  String out;

  @Option(names = "--from", required = true, paramLabel = "YYYY-MM-DD", description = "First day (UTC)")
  LocalDate from;

  @Option(names = "--days", defaultValue = "1", paramLabel = "N", description = "Number of days (default: ${DEFAULT-VALUE})")
  int days;

  @Option(
      names = "--sessions-per-day",
      defaultValue = "1000",
      paramLabel = "K",
      description = "Sessions starting per day, about 40 events each (default: ${DEFAULT-VALUE})")
  long sessionsPerDay;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(
      names = "--bad-fraction",
      defaultValue = "0.01",
      paramLabel = "F",
      description = "Share of corrupt lines, 0 to 0.5 (default: ${DEFAULT-VALUE})")
  double badFraction;

  @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT", description = "json or parquet (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--overwrite", description = "Replace existing date folders of the generated days")
  boolean overwrite;

  // Only the file's spark section is used; without a file, local Spark without the UI.
  @Mixin ConfigOptions options;

  @Override
  public Integer call() {
    GeneratorSpec spec = new GeneratorSpec(from, days, sessionsPerDay, seed, badFraction, OutputFormat.parse(format));
    boolean ownSession = SparkSession.getDefaultSession().isEmpty();
    SparkSession spark = SparkSessions.create(sparkConfig());
    long started = System.nanoTime();
    try {
      GenerateStats stats = new GenerateJob(spark, spec, out, overwrite).run();
      System.out.print(stats.report(spec, out, (System.nanoTime() - started) / 1e9));
      System.out.flush();
      return ExitCode.OK;
    } finally {
      if (ownSession) {
        spark.stop();
      }
    }
  }

  private PipelineConfig sparkConfig() {
    PipelineConfig c = options.resolveIfPresent(ConfigFlags.NONE, Needs.SPARK);
    // A data generator needs no web UI; a file that asks for one wins.
    Map<String, String> conf = new LinkedHashMap<>(Map.of("spark.ui.enabled", "false"));
    conf.putAll(c.spark().conf());
    return c.with(new PipelineConfig.Spark(c.spark().master(), c.spark().appName(), conf));
  }
}
