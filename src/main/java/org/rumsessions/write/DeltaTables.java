package org.rumsessions.write;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.common.DateRange;
import org.rumsessions.tables.TableSpec;

/**
 * The warehouse: one Delta table per {@link TableSpec} in a folder of its name. A range is written
 * with one atomic commit per table that replaces exactly the range's partitions (replaceWhere), so
 * a rerun leaves the same content and a failed write leaves the table as it was.
 */
public final class DeltaTables {
  private final SparkSession spark;
  private final String warehouse;

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

  public boolean exists(TableSpec table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /**
   * The table's current version, or -1 when it does not exist yet: the newest commit file in its
   * log, read from the file listing alone (no Spark job).
   */
  public long version(TableSpec table) {
    Path log = new Path(path(table), "_delta_log");
    try {
      FileSystem fs = log.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(log)) {
        return -1;
      }
      long newest = -1;
      for (FileStatus f : fs.listStatus(log)) {
        String name = f.getPath().getName();
        if (name.matches("\\d{20}\\.json")) {
          newest = Math.max(newest, Long.parseLong(name.substring(0, 20)));
        }
      }
      return newest;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + log, e);
    }
  }

  public Dataset<Row> read(TableSpec table) {
    return spark.read().format("delta").load(path(table));
  }

  /** Creates the table with its comments and partitioning when it is not there yet. */
  public void ensureCreated(TableSpec table, org.apache.spark.sql.types.StructType schema) {
    if (exists(table)) {
      return;
    }
    DeltaTableBuilder b =
        DeltaTable.createIfNotExists(spark)
            .location(path(table))
            .comment(table.comment())
            .addColumns(table.commentedSchema(schema));
    if (table.partitionColumn() != null) {
      b = b.partitionedBy(table.partitionColumn());
    }
    for (Map.Entry<String, String> p : table.properties().entrySet()) {
      b = b.property(p.getKey(), p.getValue());
    }
    b.execute();
  }

  /**
   * Replaces exactly the partitions of {@code range} with {@code rows}, in one commit. With
   * {@code sortWithin}, rows are first gathered into one task per date and sorted (few, ordered
   * files for small tables); without, each task writes its rows as they come, which spares a
   * shuffle of a large table that is already clustered by session id.
   */
  public void replaceRange(TableSpec table, Dataset<Row> rows, DateRange range, Column... sortWithin) {
    ensureCreated(table, rows.schema());
    String partition = table.partitionColumn();
    Dataset<Row> out = sortWithin.length == 0 ? rows : rows.repartition(col(partition)).sortWithinPartitions(sortWithin);
    out.write()
        .format("delta")
        .mode("overwrite")
        .option("replaceWhere", range.predicate(partition))
        .save(path(table));
  }

  public void append(TableSpec table, Dataset<Row> rows) {
    ensureCreated(table, rows.schema());
    rows.coalesce(1).write().format("delta").mode("append").save(path(table));
  }

  /** Puts a table back to a version this run saw before it wrote. */
  public void restore(TableSpec table, long version) {
    if (version >= 0) {
      DeltaTable.forPath(spark, path(table)).restoreToVersion(version);
    }
  }
}
