package org.rumsessions.sql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
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
    List<String> all = new ArrayList<>();
    Tables.ALL.forEach(t -> all.add(t.name()));
    return register(spark, warehouse, all);
  }

  /**
   * Registers (or replaces) a temporary view for each of the named tables that exists; returns the
   * names registered. A view of the same name from another warehouse is replaced, so one session can
   * look at several warehouses in turn (tests, notebooks). Opening a Delta table reads its log, so a
   * query pays only for the tables it names.
   */
  public static List<String> register(SparkSession spark, String warehouse, Collection<String> names) {
    DeltaTables tables = new DeltaTables(spark, warehouse);
    List<String> registered = new ArrayList<>();
    for (TableSpec t : Tables.ALL) {
      if (!names.contains(t.name())) {
        continue;
      }
      if (tables.exists(t)) {
        tables.read(t).createOrReplaceTempView(t.name());
        registered.add(t.name());
      } else {
        // Not in this warehouse: a view left from another must not answer for it.
        spark.catalog().dropTempView(t.name());
      }
    }
    return registered;
  }

  /**
   * The warehouse tables a query names: each table name that occurs in its text as a whole word,
   * in any case, quoted or not. A name inside a string or a comment counts too, which costs only
   * the time to open that table. A query that names none (SHOW TABLES, say) gets every table.
   */
  public static Set<String> tablesNamedIn(String query) {
    Set<String> named = new LinkedHashSet<>();
    String lower = query.toLowerCase(Locale.ROOT);
    for (TableSpec t : Tables.ALL) {
      if (Pattern.compile("(?<![a-z0-9_])" + Pattern.quote(t.name()) + "(?![a-z0-9_])").matcher(lower).find()) {
        named.add(t.name());
      }
    }
    if (named.isEmpty()) {
      Tables.ALL.forEach(t -> named.add(t.name()));
    }
    return named;
  }
}
