package org.rumsessions.run;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.common.DateRange;
import org.rumsessions.read.InputFiles;
import org.rumsessions.tables.InputFilesTable;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.TableSpec;

/** The {@code input_files} rows: which files of which input partitions a run read. */
public final class InputManifest {
  private static final TableSpec TABLE = InputFilesTable.SPEC;

  private InputManifest() {}

  /** Rows for the files of the partitions in {@code dates}. */
  public static Dataset<Row> rows(SparkSession spark, List<InputFiles.InputFile> files, DateRange dates, String runId) {
    List<Row> rows = new ArrayList<>();
    for (InputFiles.InputFile f : files) {
      if (dates.contains(f.date())) {
        rows.add(
            TABLE.row(
                Map.of(
                    InputFilesTable.PATH, f.path(),
                    InputFilesTable.SIZE, f.size(),
                    InputFilesTable.MODIFICATION_TIME, new Timestamp(f.modificationTime()),
                    PipelineRunsTable.RUN_ID, runId,
                    DateRange.DATE, Date.valueOf(f.date()))));
      }
    }
    return spark.createDataFrame(rows, TABLE.schema());
  }

  /** No rows: what a partition that is gone leaves. */
  public static Dataset<Row> none(SparkSession spark) {
    return spark.createDataFrame(List.of(), TABLE.schema());
  }

  /** A recorded file, from an {@code input_files} row. */
  static InputFiles.InputFile file(Row r) {
    return new InputFiles.InputFile(
        r.getAs(InputFilesTable.PATH),
        r.<Long>getAs(InputFilesTable.SIZE),
        r.<Timestamp>getAs(InputFilesTable.MODIFICATION_TIME).getTime(),
        r.<Date>getAs(DateRange.DATE).toLocalDate());
  }
}
