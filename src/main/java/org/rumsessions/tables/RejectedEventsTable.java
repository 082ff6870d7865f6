package org.rumsessions.tables;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.rumsessions.common.DateRange;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.normalize.RejectReason;
import org.rumsessions.read.RawRecords;

/** {@code rejected_events}: raw records that were not accepted as events, with a reason code. */
public final class RejectedEventsTable {
  public static final TableSpec SPEC =
      new TableSpec(
          "rejected_events",
          DateRange.DATE,
          "Raw records that were not accepted as events, with a reason code; partitioned by input partition date",
          List.of(
              new ColumnSpec(ParsedEvents.RAW, StringType, "The raw record as text; null for unreadable_file"),
              new ColumnSpec(
                  ParsedEvents.REJECT_REASON,
                  StringType,
                  "Reason code: " + Arrays.stream(RejectReason.values()).map(RejectReason::code).collect(Collectors.joining(", "))),
              new ColumnSpec(ParsedEvents.REJECT_DETAIL, StringType, "What exactly was wrong (never the record's values)"),
              new ColumnSpec(RawRecords.SOURCE_FILE, StringType, "File the record was read from"),
              new ColumnSpec(PipelineRunsTable.RUN_ID, StringType, "Run that first rejected this record"),
              new ColumnSpec(DateRange.DATE, DateType, "Date of the input partition the record was read from")),
          Map.of(),
          Map.of());

  private RejectedEventsTable() {}
}
