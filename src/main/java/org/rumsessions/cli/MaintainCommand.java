package org.rumsessions.cli;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.Durations;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.maintain.MaintenancePlan;
import org.rumsessions.maintain.TableMaintenance;
import org.rumsessions.maintain.TableReport;
import org.rumsessions.common.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code rum-sessions maintain}: OPTIMIZE and VACUUM the warehouse tables; run it weekly. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Compact the warehouse tables (z-ordering user_sessions and user_events by dt.rum.session.id),"
          + " then VACUUM the files they no longer use.",
      "Do not run it while a sessionize run writes to the same warehouse."
    })
public final class MaintainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ConfigOptions options;
  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      description = "Keep files no longer used for this long (168h, 7d, ...); default: each table's"
          + " delta.deletedFileRetentionDuration, 7 days unless set")
  String retention;

  @Option(names = "--force", description = "Allow --retention below 168h (can break running readers and time travel)")
  boolean force;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "8",
      description = "Optimize only the date partitions of the last N days, UTC (default: ${DEFAULT-VALUE},"
          + " a weekly run plus a day): z-ordering rewrites every partition it covers, each time")
  int days;

  @Option(names = "--all-partitions", description = "Optimize every date partition, e.g. after a backfill")
  boolean allPartitions;

  @Option(names = "--dry-run", description = "Change nothing: show the plan and the files VACUUM would delete")
  boolean dryRun;

  @Override
  public Integer call() {
    MaintenancePlan plan = plan(LocalDate.now(ZoneOffset.UTC));
    PipelineConfig c = options.resolve(new ConfigFlags(null, null, warehouse.warehouse), Needs.WAREHOUSE);
    if (plan.retentionBelowSafe()) {
      System.err.println("warning: --retention " + Durations.format(plan.retention().get())
          + " with --force: readers and writers running longer than that, and time travel further back,"
          + " can fail on deleted files");
    }
    SparkSession spark = SparkSessions.create(c);
    try {
      Repairs.open(spark, c, "maintain", System.out);
      List<TableReport> reports = new TableMaintenance(spark, c.warehouse().path()).run(plan);
      System.out.printf("rum-sessions maintain %s%s%n", c.warehouse().path(), dryRun ? "  (dry run: nothing changed)" : "");
      if (reports.isEmpty()) {
        System.out.println("  no tables yet; run sessionize first");
      }
      reports.forEach(r -> System.out.print(r.format()));
      System.out.flush();
      return ExitCode.OK;
    } finally {
      spark.stop();
    }
  }

  /** Checks the flags before any Spark work, so a refused run costs nothing. */
  MaintenancePlan plan(LocalDate today) {
    if (days < 0) {
      throw new ParameterException(spec.commandLine(), "--days must be 0 or more, was " + days);
    }
    Optional<Duration> r = Optional.ofNullable(retention).map(t -> Durations.parse("--retention", t));
    MaintenancePlan plan =
        new MaintenancePlan(allPartitions ? Optional.empty() : Optional.of(today.minusDays(days)), r, force, dryRun);
    if (plan.retentionBelowSafe() && !force) {
      throw new ParameterException(
          spec.commandLine(),
          "--retention " + retention + " is below " + Durations.format(MaintenancePlan.SAFE_RETENTION)
              + " (Delta's default), which can delete files that running jobs and time travel still read;"
              + " add --force if you mean it");
    }
    return plan;
  }
}
