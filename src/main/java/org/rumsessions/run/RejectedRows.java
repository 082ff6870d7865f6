package org.rumsessions.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rumsessions.common.DateRange;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.read.RawRecords;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.RejectedEventsTable;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;

/**
 * The range's {@code rejected_events} rows. A record rejected before keeps the id of the run that
 * first rejected it, so that a rerun over the same input leaves the table identical.
 */
final class RejectedRows {
  /** The order within a date's file: by source file, then record. */
  static final Column[] ORDER = {col(RawRecords.SOURCE_FILE), col(ParsedEvents.RAW)};

  /** What makes a rejected record the same one again: its file, its text and why it was rejected. */
  private static final String[] SAME_RECORD = {RawRecords.SOURCE_FILE, ParsedEvents.RAW, ParsedEvents.REJECT_REASON};

  private static final String EARLIER_RUN_ID = "earlier_run_id";

  private RejectedRows() {}

  /** @param ownedRejected the rejected rows of the range's input partitions, as decoded */
  static Dataset<Row> of(DeltaTables tables, Dataset<Row> ownedRejected, DateRange range, String runId) {
    Dataset<Row> fresh =
        ownedRejected.select(
            col(ParsedEvents.RAW),
            col(ParsedEvents.REJECT_REASON),
            col(ParsedEvents.REJECT_DETAIL),
            col(RawRecords.SOURCE_FILE),
            col(RawRecords.INPUT_DATE).as(DateRange.DATE));
    if (!tables.exists(Tables.REJECTED)) {
      return RejectedEventsTable.SPEC.shape(fresh.withColumn(PipelineRunsTable.RUN_ID, lit(runId)));
    }
    Dataset<Row> earlier =
        tables.read(Tables.REJECTED)
            .where(range.predicate(DateRange.DATE))
            .groupBy(SAME_RECORD[0], SAME_RECORD[1], SAME_RECORD[2])
            .agg(min(col(PipelineRunsTable.RUN_ID)).as(EARLIER_RUN_ID));
    Column same = lit(true);
    for (String c : SAME_RECORD) {
      same = same.and(fresh.col(c).eqNullSafe(earlier.col(c)));
    }
    Dataset<Row> joined = fresh.join(earlier, same, "left");
    for (String c : SAME_RECORD) {
      joined = joined.drop(earlier.col(c));
    }
    return RejectedEventsTable.SPEC.shape(
        joined.withColumn(PipelineRunsTable.RUN_ID, coalesce(col(EARLIER_RUN_ID), lit(runId))));
  }
}
