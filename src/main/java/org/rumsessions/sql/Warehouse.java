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
