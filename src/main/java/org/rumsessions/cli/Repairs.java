package org.rumsessions.cli;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.write.DeltaTables;
import org.rumsessions.write.Recovery;

/** What every command does first on its warehouse: repair the runs that did not finish. */
final class Repairs {
  private Repairs() {}

  /** The warehouse's tables, once every run that died between its commits is repaired; says what it did. */
  static DeltaTables open(SparkSession spark, PipelineConfig config, String command, PrintStream report) {
    DeltaTables tables = new DeltaTables(spark, config.warehouse().path());
    for (String line : Recovery.repair(tables, command)) {
      report.println(line);
    }
    report.flush();
    return tables;
  }
}
