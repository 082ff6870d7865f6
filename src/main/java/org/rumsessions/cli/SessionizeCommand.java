package org.rumsessions.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.normalize.EventTimes;
import org.rumsessions.run.ChangedInput;
import org.rumsessions.common.DateRange;
import org.rumsessions.run.RunCounts;
import org.rumsessions.run.SessionizeJob;
import org.rumsessions.common.SparkProfile;
import org.rumsessions.common.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code rum-sessions sessionize}: one run over a date range. */
@Command(
    name = "sessionize",
    mixinStandardHelpOptions = true,
    description = "Read raw RUM events for a date range and replace that range in the session tables.")
final class SessionizeCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Mixin WarehouseOption warehouse;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "A single date; same as --from D --to D")
  LocalDate date;

  @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First date of the range (UTC)")
  LocalDate from;

  @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last date of the range (UTC), inclusive")
  LocalDate to;

  @Option(names = "--input", paramLabel = "PATH", description = "Raw events folder; overrides input.path")
  String input;

  @Option(names = "--input-format", paramLabel = "FORMAT", description = "json, parquet or delta; overrides input.format")
  String inputFormat;

  @Option(
      names = "--changed",
      description = "Recompute only the dates that input files added, changed or removed since the last runs can affect")
  boolean changed;

  @Option(
      names = "--horizon",
      paramLabel = "TIMESTAMP",
      description = "Data horizon (ISO-8601 with zone); default: the latest end_time read")
  String horizon;

  @Option(
      names = "--profile",
      description = "Print where the run's time went: each phase's wall time and its Spark tasks' time, shuffled and spilled bytes")
  boolean profile;

  @Override
  public Integer call() {
    DateRange range = range();
    Optional<Instant> h = Optional.empty();
    if (horizon != null) {
      Long ns = EventTimes.nanos(horizon);
      if (ns == null) {
        throw new UsageException("--horizon '" + horizon + "' is not an ISO-8601 timestamp with a zone");
      }
      h = Optional.of(EventTimes.instant(ns));
    }
    PipelineConfig config =
        options.resolve(new ConfigFlags(input, inputFormat, warehouse.warehouse), Needs.INPUT_AND_WAREHOUSE);
    SparkSession spark = SparkSessions.create(config);
    SparkProfile prof = profile ? SparkProfile.attach(spark) : SparkProfile.timesOnly(spark);
    prof.record("start (JVM, Spark)", SparkProfile.secondsSinceJvmStart());
    try {
      try (var p = prof.phase("repair check")) {
        Repairs.open(spark, config, changed ? "sessionize --changed" : "sessionize", System.out);
      }
      if (changed) {
        return runChanged(spark, config, h, prof);
      }
      RunCounts counts = new SessionizeJob(spark, config, prof).run(range, h);
      System.out.print(counts.report());
      System.out.flush();
      return ExitCode.OK;
    } finally {
      long stopping = System.nanoTime();
      spark.stop();
      prof.record("stop Spark", (System.nanoTime() - stopping) / 1e9);
      if (profile) {
        System.out.println();
        System.out.println("profile (phases in order; the table writes run side by side):");
        System.out.print(prof.table());
        System.out.println("profile by stage:");
        System.out.print(prof.stageTable());
        System.out.flush();
      }
    }
  }

  private int runChanged(SparkSession spark, PipelineConfig config, Optional<Instant> h, SparkProfile prof) {
    ChangedInput changes = new ChangedInput(spark, config);
    ChangedInput.Plan plan = changes.plan();
    if (plan.isEmpty()) {
      System.out.println("rum-sessions sessionize --changed: nothing changed since the last runs; no table was written.");
      return ExitCode.OK;
    }
    if (!plan.skipped().isEmpty()) {
      System.out.println("  not recomputed (no input partition): " + plan.skipped());
    }
    SessionizeJob job = new SessionizeJob(spark, config, prof);
    for (DateRange r : plan.ranges()) {
      System.out.print(job.run(r, h, "changed", plan.reason(r)).report());
      System.out.flush();
    }
    changes.forget(plan.skipped());
    return ExitCode.OK;
  }

  private DateRange range() {
    if (changed && (date != null || from != null || to != null)) {
      throw new UsageException("--changed finds its dates itself; do not give --date, --from or --to with it");
    }
    if (date != null && (from != null || to != null)) {
      throw new UsageException("give either --date or --from and --to, not both");
    }
    if (changed) {
      return null;
    }
    if (date != null) {
      return DateRange.of(date);
    }
    if (from == null || to == null) {
      throw new UsageException("give --date D, or --from D1 and --to D2");
    }
    if (to.isBefore(from)) {
      throw new UsageException("--to " + to + " is before --from " + from);
    }
    return new DateRange(from, to);
  }
}
