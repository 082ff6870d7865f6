package org.rumsessions.run;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rumsessions.common.DateRange;
import org.rumsessions.read.InputFiles;

/** The {@code input_files} rows: which files of which input partitions a run read. */
public final class InputManifest {
  public static final StructType SCHEMA =
      new StructType()
          .add("path", DataTypes.StringType)
          .add("size", DataTypes.LongType)
          .add("modification_time", DataTypes.TimestampType)
          .add("run_id", DataTypes.StringType)
          .add("date", DataTypes.DateType);

  private InputManifest() {}

  /** Rows for the files of the partitions in {@code dates}. */
  public static Dataset<Row> rows(SparkSession spark, List<InputFiles.InputFile> files, DateRange dates, String runId) {
    List<Row> rows = new ArrayList<>();
    for (InputFiles.InputFile f : files) {
      if (dates.contains(f.date())) {
        rows.add(RowFactory.create(f.path(), f.size(), new Timestamp(f.modificationTime()), runId, f.date()));
      }
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
