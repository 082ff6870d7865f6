package org.rumsessions.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.common.SparkSessions;
import org.rumsessions.sql.Prompt;
import org.rumsessions.sql.ResultPrinter;
import org.rumsessions.sql.Warehouse;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rum-sessions sql}: Spark SQL queries over the warehouse tables, by their names. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = "Run Spark SQL queries over the warehouse tables by their names: user_sessions, user_events, rejected_events, pipeline_runs, input_files.")
final class SqlCommand implements Callable<Integer> {
  @Mixin ConfigOptions options;
  @Mixin WarehouseOption warehouse;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "table, csv or json (JSON Lines); default: ${DEFAULT-VALUE}")
  String format;

  @Option(
      names = "--database",
      paramLabel = "NAME",
      description = "Also register the tables in the session catalog as NAME.<table> (external Delta tables)")
  String database;

  @Option(names = "--max-rows", defaultValue = "200", description = "Rows shown by --format table (default: ${DEFAULT-VALUE})")
  int maxRows;

  @Parameters(
      arity = "0..*",
      paramLabel = "QUERY",
      description = "Spark SQL queries, run in order; with --format table a leading '-- title' line is printed as a heading. Without a query: an interactive prompt with history")
  List<String> queries;

  @Override
  public Integer call() throws java.io.IOException {
    ResultPrinter.Format f;
    try {
      f = ResultPrinter.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--format '" + format + "' is not known; allowed: table, csv, json");
    }
    PipelineConfig config = options.resolve(new ConfigFlags(null, null, warehouse.warehouse), Needs.WAREHOUSE);
    SparkSession spark = SparkSessions.create(config);
    try {
      // Standard error: standard output carries the query results (JSON Lines, CSV).
      Repairs.open(spark, config, "sql", System.err);
      String path = config.warehouse().path();
      if (database != null) {
        try {
          System.err.println("registered " + Warehouse.registerInCatalog(spark, config.warehouse().path(), database));
        } catch (IllegalArgumentException e) {
          throw new UsageException(e.getMessage());
        }
      }
      if (queries == null || queries.isEmpty()) {
        noteWhenEmpty(spark, path, Warehouse.register(spark, path));
        ResultPrinter.Format shown = f;
        Prompt.run(System.out, q -> ResultPrinter.print(spark.sql(q), shown, System.out, maxRows));
        return ExitCode.OK;
      }
      // Only the tables the queries name are opened: each costs a read of its Delta log.
      Set<String> named = new LinkedHashSet<>();
      queries.forEach(q -> named.addAll(Warehouse.tablesNamedIn(q)));
      noteWhenEmpty(spark, path, Warehouse.register(spark, path, named));
      for (String query : queries) {
        if (f == ResultPrinter.Format.TABLE) {
          String title = query.strip().startsWith("--") ? query.strip().lines().findFirst().orElse("").substring(2).strip() : null;
          if (title != null) {
            System.out.println();
            System.out.println(title);
          }
        }
        ResultPrinter.print(spark.sql(query), f, System.out, maxRows);
      }
      return ExitCode.OK;
    } finally {
      spark.stop();
    }
  }

  /** Says so when the warehouse has no table at all (a look at each table's log folder, no Delta log read). */
  private static void noteWhenEmpty(SparkSession spark, String warehouse, List<String> registered) {
    DeltaTables tables = new DeltaTables(spark, warehouse);
    if (registered.isEmpty() && Tables.ALL.stream().allMatch(t -> tables.version(t) < 0)) {
      System.err.println("note: no tables under " + warehouse + " yet; run sessionize first");
    }
  }
}
