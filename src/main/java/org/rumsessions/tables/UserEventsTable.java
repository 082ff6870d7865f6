package org.rumsessions.tables;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rumsessions.normalize.EventField;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.normalize.EventTimes;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.read.RawRecords;
import org.rumsessions.sessionize.SessionRules;

/** {@code user_events}: every accepted, de-duplicated event; the drill-down table. */
public final class UserEventsTable {
  /** Whether the event is counted in a session summary: summary_status = summarized. */
  public static final String SUMMARIZED = "summarized";

  public static final TableSpec SPEC =
      new TableSpec(
          "user_events",
          SessionRules.DATE,
          "Every accepted, de-duplicated RUM user event, partitioned by the UTC date of its start; join on dt.rum.session.id",
          columns(),
          StructComments.DICTIONARY,
          // File statistics cost time on every write of this wide table; keep them to the columns
          // drill-downs filter on.
          Map.of(
              "delta.dataSkippingStatsColumns",
              String.join(",", EventTimes.START_TIME, EventTimes.END_TIME, EventFields.SESSION_ID, SessionRules.SUMMARY_STATUS)));

  private UserEventsTable() {}

  private static List<ColumnSpec> columns() {
    List<ColumnSpec> c = new ArrayList<>();
    c.add(new ColumnSpec(EventTimes.START_TIME, TimestampType, "Event start (UTC)"));
    c.add(new ColumnSpec(EventTimes.END_TIME, TimestampType, "Event end: end_time, else start_time + duration, else start_time (UTC)"));
    c.add(new ColumnSpec(EventTimes.DURATION, LongType, "end_time - start_time in nanoseconds"));
    c.add(new ColumnSpec(EventTimes.TIMESTAMP, TimestampType, "The event's timestamp field, when it has one (UTC)"));
    for (EventField f : EventFields.ALL) {
      c.add(new ColumnSpec(f.name(), f.kind().sparkType(), f.comment()));
    }
    c.add(new ColumnSpec(ParsedEvents.SESSION_PROPERTIES, createMapType(StringType, StringType), "Custom session properties set by this event"));
    c.add(new ColumnSpec(ParsedEvents.ATTRIBUTES, createMapType(StringType, StringType), "Every other field of the raw record, by dotted name, as text"));
    c.add(new ColumnSpec(SUMMARIZED, BooleanType, "True when the event is counted in a session summary of user_sessions"));
    c.add(new ColumnSpec(
        SessionRules.SUMMARY_STATUS,
        StringType,
        SessionRules.SUMMARIZED + ", " + SessionRules.AFTER_SESSION_END + " (the session had ended) or "
            + SessionRules.SESSION_OPEN + " (deferred at the horizon)"));
    c.add(new ColumnSpec(SessionRules.SEQ, LongType, "Position of the event in its session id's event order (start, end, id), from 1"));
    c.add(new ColumnSpec(RawRecords.SOURCE_FILE, StringType, "File the event was read from (the kept copy, for duplicates)"));
    c.add(new ColumnSpec(RawRecords.INPUT_DATE, DateType, "Date of the input partition the event was read from"));
    c.add(new ColumnSpec(SessionRules.DATE, DateType, "UTC date of start_time; the partition column"));
    return c;
  }
}
