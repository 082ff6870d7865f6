package org.rumsessions.tables;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import java.util.Map;
import org.rumsessions.common.DateRange;

/** {@code input_files}: the input files each run read; what {@code sessionize --changed} compares with. */
public final class InputFilesTable {
  public static final String PATH = "path";
  public static final String SIZE = "size";
  public static final String MODIFICATION_TIME = "modification_time";

  public static final TableSpec SPEC =
      new TableSpec(
          "input_files",
          DateRange.DATE,
          "The input files each run read, per input partition; sessionize --changed compares the input with it",
          List.of(
              new ColumnSpec(PATH, StringType, "Input file"),
              new ColumnSpec(SIZE, LongType, "Its size in bytes when read"),
              new ColumnSpec(MODIFICATION_TIME, TimestampType, "Its modification time when read"),
              new ColumnSpec(PipelineRunsTable.RUN_ID, StringType, "The run that read it"),
              new ColumnSpec(DateRange.DATE, DateType, "Date of its input partition")),
          Map.of(),
          Map.of());

  private InputFilesTable() {}
}
