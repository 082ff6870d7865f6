package org.rumsessions.maintain;

import io.delta.tables.DeltaOptimizeBuilder;
import io.delta.tables.DeltaTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.Durations;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPTIMIZE, then VACUUM, each table of a warehouse. The date tables are written one sorted file per
 * date and run, so compaction mostly matters for {@code pipeline_runs} (one small file per run),
 * and VACUUM for every table (each rerun of a date leaves the replaced files behind).
 */
public final class TableMaintenance {
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

  /**
   * Z-order column per table. The drill-down reads look sessions and their events up by session id;
   * Delta 3.3 accepts the nested column and has min/max statistics for it (it is among the first 32
   * leaf columns of both tables, Delta's default for statistics). Other tables are only compacted.
   */
  static final Map<String, String> ZORDER_BY =
      Map.of(Tables.SESSIONS.name(), EventFields.SESSION_ID, Tables.EVENTS.name(), EventFields.SESSION_ID);

  private static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
  private static final String LISTING_PARALLELISM = "spark.sql.sources.parallelPartitionDiscovery.parallelism";
  private static final String VACUUM_LOGGING = "spark.databricks.delta.vacuum.logging.enabled";
  private static final java.util.Set<String> VACUUM_LOGGED_SCHEMES =
      java.util.Set.of("wasbs", "wasbss", "abfs", "abfss", "adl", "gs", "file", "hdfs");

  private final SparkSession spark;
  private final DeltaTables tables;

  public TableMaintenance(SparkSession spark, String warehouse) {
    this.spark = spark;
    this.tables = new DeltaTables(spark, warehouse);
    // VACUUM lists a table in this many tasks whatever its size; Spark's default, 10000, is meant
    // for huge tables and made a VACUUM of a few files take a minute. A few tasks per core list a
    // table of daily partitions as fast. A value set in the configuration file is kept.
    if (!spark.conf().contains(LISTING_PARALLELISM)) {
      spark.conf().set(LISTING_PARALLELISM, String.valueOf(Math.max(8, 4 * spark.sparkContext().defaultParallelism())));
    }
  }

  /** Maintains each table of the warehouse that exists; tables not created yet are skipped. */
  public List<TableReport> run(MaintenancePlan plan) {
    if (plan.retentionBelowSafe()) {
      if (!plan.force()) {
        throw new IllegalArgumentException(
            "retention " + Durations.format(plan.retention().get()) + " is below "
                + Durations.format(MaintenancePlan.SAFE_RETENTION) + " and force is not set");
      }
      // Delta refuses a retention below the table's own (7 days by default) unless this is off.
      spark.conf().set(RETENTION_CHECK, "false");
    }
    List<TableReport> reports = new ArrayList<>();
    for (TableSpec t : Tables.ALL) {
      if (tables.exists(t)) {
        reports.add(maintain(t, plan));
      }
    }
    return reports;
  }

  private TableReport maintain(TableSpec t, MaintenancePlan plan) {
    String path = tables.path(t);
    Row before = DeltaTable.forPath(spark, path).detail().head();

    String where = t.partitionColumn() == null
        ? null
        : plan.optimizeSince().map(d -> t.partitionColumn() + " >= DATE'" + d + "'").orElse(null);
    String zorder = ZORDER_BY.get(t.name());
    String what = (zorder == null ? "compaction" : "z-order by " + zorder) + (where == null ? "" : " where " + where);

    long removed = 0;
    long added = 0;
    if (!plan.dryRun()) {
      LOG.info("{}: optimize ({})", t.name(), what);
      DeltaOptimizeBuilder optimize = DeltaTable.forPath(spark, path).optimize();
      if (where != null) {
        optimize = optimize.where(where);
      }
      Row metrics = (zorder == null ? optimize.executeCompaction() : optimize.executeZOrderBy(zorder)).head().getStruct(1);
      removed = metrics.<Long>getAs("numFilesRemoved");
      added = metrics.<Long>getAs("numFilesAdded");
    }

    String retention = plan.retention().map(Durations::format).orElseGet(() -> tableRetention(before));
    LOG.info("{}: vacuum, retain {}{}", t.name(), retention, plan.dryRun() ? " (dry run)" : "");
    long vacuumed = vacuum(path, plan);

    Row after = plan.dryRun() ? before : DeltaTable.forPath(spark, path).detail().head();
    return new TableReport(
        t.name(),
        before.<Long>getAs("numFiles"),
        before.<Long>getAs("sizeInBytes"),
        what,
        removed,
        added,
        retention,
        vacuumed,
        after.<Long>getAs("numFiles"),
        after.<Long>getAs("sizeInBytes"),
        plan.dryRun());
  }

  /** Files VACUUM deleted (or would delete, in a dry run); -1 when Delta did not record the count. */
  private long vacuum(String path, MaintenancePlan plan) {
    String sql = "VACUUM delta.`" + path.replace("`", "``") + "`"
        + plan.retention().map(d -> " RETAIN " + hours(d) + " HOURS").orElse("");
    if (plan.dryRun()) {
      // A dry run returns one row per file it would delete.
      return spark.sql(sql + " DRY RUN").count();
    }
    // The real run returns only the table path; the count is in the VACUUM END commit, which Delta
    // writes only on stores it trusts with concurrent commits (not S3). Elsewhere a dry run just
    // before counts the same files, as nothing else writes to the table meanwhile.
    long counted = vacuumLogged(path) ? -1 : spark.sql(sql + " DRY RUN").count();
    spark.sql(sql).collect();
    Row last = DeltaTable.forPath(spark, path).history(1).head();
    if (!"VACUUM END".equals(last.<String>getAs("operation"))) {
      return counted;
    }
    Map<String, String> metrics = last.getJavaMap(last.fieldIndex("operationMetrics"));
    String n = metrics.get("numDeletedFiles");
    return n == null ? -1 : Long.parseLong(n);
  }

  /** Whether Delta 3.3 records VACUUM in the table's history (VacuumCommand.shouldLogVacuum). */
  private boolean vacuumLogged(String path) {
    if (spark.conf().contains(VACUUM_LOGGING)) {
      return Boolean.parseBoolean(spark.conf().get(VACUUM_LOGGING));
    }
    String scheme = new org.apache.hadoop.fs.Path(path).toUri().getScheme();
    return scheme != null && VACUUM_LOGGED_SCHEMES.contains(scheme);
  }

  private static String tableRetention(Row detail) {
    Map<String, String> props = detail.getJavaMap(detail.fieldIndex("properties"));
    String own = props.get("delta.deletedFileRetentionDuration");
    return own == null ? Durations.format(MaintenancePlan.SAFE_RETENTION) + " (Delta default)" : own + " (table property)";
  }

  /** VACUUM takes hours, fractional allowed: 90m is 1.5. */
  static String hours(Duration d) {
    return BigDecimal.valueOf(d.toMillis())
        .divide(BigDecimal.valueOf(3_600_000L), 6, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
