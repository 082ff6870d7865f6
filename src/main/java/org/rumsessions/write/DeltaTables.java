package org.rumsessions.write;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.rumsessions.common.DateRange;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.TableSpec;

/**
 * The warehouse: one Delta table per {@link TableSpec} in a folder of its name. A range is written
 * with one atomic commit per table that replaces exactly the range's partitions (replaceWhere), so
 * a rerun leaves the same content and a failed write leaves the table as it was.
 */
public final class DeltaTables {
  private static final String COMMIT_TAG = "spark.databricks.delta.commitInfo.userMetadata";
  private static final int CREATE_ATTEMPTS = 5;

  private final SparkSession spark;
  private final String warehouse;
  private final Set<String> columnsChecked = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public DeltaTables(SparkSession spark, String warehouse) {
    this.spark = spark;
    this.warehouse = qualified(spark, warehouse);
  }

  /** Delta takes a relative location for a table name, so every path is made absolute first. */
  private static String qualified(SparkSession spark, String path) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the warehouse path " + path, e);
    }
  }

  public String path(TableSpec table) {
    return new Path(warehouse, table.name()).toString();
  }

  /** Whether the table has a first commit: from the listing of its log alone, no Spark job. */
  public boolean exists(TableSpec table) {
    return version(table) >= 0;
  }

  /**
   * The table's current version, or -1 when it does not exist yet: the newest commit file in its
   * log, read from the file listing alone (no Spark job).
   */
  public long version(TableSpec table) {
    return DeltaCommits.newestVersion(hadoop(), path(table));
  }

  public SparkSession spark() {
    return spark;
  }

  /** The warehouse's record of runs in progress. */
  public Journal journal() {
    return new Journal(hadoop(), warehouse);
  }

  /**
   * Whether another run, alive, writes dates that {@code intent}'s meet: then files in flight in
   * those partitions may be that run's, not leftovers.
   */
  public boolean othersWriting(RunIntent intent) {
    Instant now = Instant.now();
    return journal().list().stream()
        .anyMatch(f -> !f.intent().runId().equals(intent.runId())
            && Journal.isAlive(f, now)
            && Rollback.overlaps(f.intent().range(), intent.range()));
  }

  public Configuration hadoop() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /**
   * Tags every commit this session makes from now on (Delta's {@code userMetadata}), so that a
   * rollback can tell a run's commits from other writers'. One command runs per session, and all
   * its threads write for the same run.
   */
  public void tagCommits(String tag) {
    spark.conf().set(COMMIT_TAG, tag);
  }

  public void untagCommits() {
    spark.conf().unset(COMMIT_TAG);
  }

  public Dataset<Row> read(TableSpec table) {
    return spark.read().format("delta").load(path(table));
  }

  /**
   * Creates the table as declared (schema, comments, partitioning, properties) when it is not there
   * yet; a table from an earlier version gets the top-level columns declared since, once per
   * instance (ALTER TABLE ADD COLUMNS, with their comments; earlier rows read null there).
   */
  public void ensureCreated(TableSpec table) {
    if (exists(table)) {
      if (columnsChecked.add(table.name())) {
        addMissingColumns(table);
      }
      return;
    }
    DeltaTableBuilder b =
        DeltaTable.createIfNotExists(spark)
            .location(path(table))
            .comment(table.comment())
            .addColumns(table.schema());
    if (table.partitionColumn() != null) {
      b = b.partitionedBy(table.partitionColumn());
    }
    for (Map.Entry<String, String> p : table.properties().entrySet()) {
      b = b.property(p.getKey(), p.getValue());
    }
    // Two first runs at once both create the table: Delta fails one creator (ProtocolChangedException),
    // or lets it see the other's log before its first commit (DELTA_TABLE_NOT_FOUND). Either way the
    // table it wanted is there a moment later.
    for (int attempt = 1; ; attempt++) {
      try {
        b.execute();
        return;
      } catch (Throwable e) {
        if (exists(table)) {
          return;
        }
        if (attempt == CREATE_ATTEMPTS) {
          throw e;
        }
        try {
          Thread.sleep(500L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        if (exists(table)) {
          return;
        }
      }
    }
  }

  private void addMissingColumns(TableSpec table) {
    Set<String> present = new HashSet<>(List.of(read(table).schema().fieldNames()));
    List<String> added = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      if (!present.contains(f.name())) {
        String comment = f.getComment().isDefined() ? " COMMENT '" + f.getComment().get().replace("\\", "\\\\").replace("'", "\\'") + "'" : "";
        added.add("`" + f.name() + "` " + f.dataType().sql() + comment);
      }
    }
    if (!added.isEmpty()) {
      spark.sql("ALTER TABLE delta.`" + path(table) + "` ADD COLUMNS (" + String.join(", ", added) + ")");
    }
  }

  /**
   * Replaces exactly the partitions of {@code range} with {@code rows}, in one commit. With
   * {@code sortWithin}, rows are first gathered into one task per date and sorted (few, ordered
   * files for small tables); without, each task writes its rows as they come, which spares a
   * shuffle of a large table that is already clustered by session id.
   */
  public void replaceRange(TableSpec table, Dataset<Row> rows, DateRange range, Column... sortWithin) {
    ensureCreated(table);
    String partition = table.partitionColumn();
    Dataset<Row> out = sortWithin.length == 0 ? rows : rows.repartition(col(partition)).sortWithinPartitions(sortWithin);
    out.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", range.predicate(partition))
        .save(path(table));
  }

  public void append(TableSpec table, Dataset<Row> rows) {
    ensureCreated(table);
    rows.coalesce(1).write().format("delta").mode("append").save(path(table));
  }

  /** Puts a whole table back to an earlier version (Delta RESTORE). */
  public void restore(TableSpec table, long version) {
    DeltaTable.forPath(spark, path(table)).restoreToVersion(version);
  }

  /**
   * Puts the rows of {@code range} back as they were at {@code version}, in one commit, leaving the
   * other dates as they are now; every date when {@code range} is null.
   */
  public void replaceRangeAsOf(TableSpec table, long version, DateRange range) {
    Dataset<Row> then = spark.read().format("delta").option("versionAsOf", version).load(path(table));
    if (range == null) {
      then.write().format("delta").mode("overwrite").save(path(table));
      return;
    }
    String predicate = range.predicate(table.partitionColumn());
    then.where(predicate).write().format("delta").mode("overwrite").option("replaceWhere", predicate).save(path(table));
  }

  /** Deletes the rows a run wrote to a table keyed by run id; returns how many. */
  public long deleteRunRows(TableSpec table, String runId) {
    return delete(table, col(PipelineRunsTable.RUN_ID).equalTo(lit(runId)));
  }

  /**
   * Deletes the rows that match {@code condition}, in one commit (none when nothing matches);
   * returns how many. The condition is recorded in the commit's history: it must hold no personal
   * value.
   */
  public long delete(TableSpec table, Column condition) {
    long n = read(table).where(condition).count();
    if (n > 0) {
      DeltaTable.forPath(spark, path(table)).delete(condition);
    }
    return n;
  }

  /** The names of the data files the table's current version reads for {@code range}. */
  Set<String> fileNames(TableSpec table, DateRange range) {
    Set<String> names = new HashSet<>();
    for (String f : read(table).where(range.predicate(table.partitionColumn())).inputFiles()) {
      names.add(DeltaCommits.fileName(new Path(f).toUri().getRawPath()));
    }
    return names;
  }
}
