package org.rumsessions.bench;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.ConfigLoader;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.common.SparkSessions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's check that its two implementations agree: every row of rum-sessions'
 * {@code user_sessions} against every row the DuckDB twin wrote, over all the twin's columns, as
 * multisets ({@code EXCEPT ALL} both ways). Nested columns are read under their dotted names, maps
 * as their entries sorted, since Spark compares no maps.
 */
@Command(
    name = "compare-sessions",
    mixinStandardHelpOptions = true,
    description = "Compares user_sessions of a warehouse with the DuckDB twin's Parquet file, row by row.")
public final class CompareSessions implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "The pipeline's configuration file (spark section)")
  Path config;

  @Option(names = "--warehouse", required = true, description = "The warehouse rum-sessions wrote")
  Path warehouse;

  @Option(names = "--twin", required = true, description = "The twin's output folder (user_sessions.parquet)")
  Path twin;

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompareSessions()).execute(args));
  }

  @Override
  public Integer call() {
    SparkSession spark = SparkSessions.create(PipelineConfig.resolve(ConfigLoader.load(config), ConfigFlags.NONE, Needs.SPARK));
    try {
      Dataset<Row> duck = comparable(spark.read().parquet(twin.resolve("user_sessions.parquet").toString()), null);
      Dataset<Row> ours =
          comparable(spark.read().format("delta").load(warehouse.resolve("user_sessions").toString()), duck.columns());
      long onlyOurs = ours.exceptAll(duck).count();
      long onlyTwin = duck.exceptAll(ours).count();
      System.out.printf(
          "compare-sessions: %,d rows from rum-sessions, %,d from the DuckDB twin, %d columns; %,d only in rum-sessions, %,d only in the twin%n",
          ours.count(), duck.count(), duck.columns().length, onlyOurs, onlyTwin);
      return onlyOurs == 0 && onlyTwin == 0 ? 0 : 1;
    } finally {
      spark.stop();
    }
  }

  /** The columns named (all when null), dotted names resolved into nested structs, maps made comparable. */
  private static Dataset<Row> comparable(Dataset<Row> rows, String[] names) {
    String[] wanted = names == null ? rows.columns() : names;
    Dataset<Row> flat =
        rows.select(Arrays.stream(wanted).map(n -> (names == null ? col("`" + n + "`") : col(n)).as(n)).toArray(Column[]::new));
    Column[] out =
        Arrays.stream(flat.schema().fields())
            .map(f -> f.dataType() instanceof MapType
                ? array_sort(map_entries(col("`" + f.name() + "`"))).as(f.name())
                : col("`" + f.name() + "`"))
            .toArray(Column[]::new);
    return flat.select(out);
  }
}
