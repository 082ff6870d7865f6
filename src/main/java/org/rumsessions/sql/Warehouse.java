package org.rumsessions.sql;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;

/** Makes the warehouse's tables queryable by their plain names in Spark SQL. */
public final class Warehouse {
  private Warehouse() {}

  /**
   * Registers each existing table in the session catalog as {@code database.table}, an external
   * Delta table at its warehouse path; with a Hive metastore the names outlive the session.
   */
  public static List<String> registerInCatalog(SparkSession spark, String warehouse, String database) {
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("--database '" + database + "' is not a plain SQL name");
    }
    DeltaTables tables = new DeltaTables(spark, warehouse);
    spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "`");
    List<String> names = new ArrayList<>();
    for (TableSpec t : Tables.ALL) {
      if (tables.exists(t)) {
        spark.sql(String.format(
            "CREATE TABLE IF NOT EXISTS `%s`.`%s` USING DELTA LOCATION '%s'",
            database, t.name(), tables.path(t).replace("'", "\\'")));
        names.add(database + "." + t.name());
      }
    }
    return names;
  }

  /** Registers a temporary view per existing table; returns the names registered. */
  public static List<String> register(SparkSession spark, String warehouse) {
    DeltaTables tables = new DeltaTables(spark, warehouse);
    List<String> names = new ArrayList<>();
    for (TableSpec t : Tables.ALL) {
      if (tables.exists(t)) {
        tables.read(t).createOrReplaceTempView(t.name());
        names.add(t.name());
      }
    }
    return names;
  }
}
