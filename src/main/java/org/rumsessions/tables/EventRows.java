package org.rumsessions.tables;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rumsessions.normalize.Columns;
import org.rumsessions.normalize.EventTimes;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.sessionize.SessionRules;

/** Shapes events with their session verdict ({@link SessionRules#atHorizon}) into {@code user_events} rows. */
public final class EventRows {
  private EventRows() {}

  public static Dataset<Row> of(Dataset<Row> assigned) {
    return UserEventsTable.SPEC.shape(
        assigned
            .withColumn(EventTimes.START_TIME, Columns.timestampFromNanos(ParsedEvents.START_NS))
            .withColumn(EventTimes.END_TIME, Columns.timestampFromNanos(ParsedEvents.END_NS))
            .withColumn(EventTimes.TIMESTAMP, Columns.timestampFromNanos(ParsedEvents.TIMESTAMP_NS))
            .withColumn(UserEventsTable.SUMMARIZED, col(SessionRules.SUMMARY_STATUS).equalTo(SessionRules.SUMMARIZED)));
  }
}
