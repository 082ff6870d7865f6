package org.rumsessions.tables;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rumsessions.normalize.Columns;
import org.rumsessions.normalize.EventField;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.normalize.EventTimes;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.sessionize.SessionRules;

/** Shapes assigned events into {@code user_events} rows, nested by their dictionary names. */
public final class EventRows {
  public static final String SUMMARIZED = "summarized";

  private EventRows() {}

  public static Dataset<Row> of(Dataset<Row> assigned) {
    LinkedHashMap<String, Column> c = new LinkedHashMap<>();
    c.put(EventTimes.START_TIME, Columns.timestampFromNanos(ParsedEvents.START_NS));
    c.put(EventTimes.END_TIME, Columns.timestampFromNanos(ParsedEvents.END_NS));
    c.put(EventTimes.DURATION, col(ParsedEvents.DURATION));
    c.put(EventTimes.TIMESTAMP, Columns.timestampFromNanos(ParsedEvents.TIMESTAMP_NS));
    for (EventField f : EventFields.ALL) {
      c.put(f.name(), col(f.column()));
    }
    c.put(ParsedEvents.SESSION_PROPERTIES, col(ParsedEvents.SESSION_PROPERTIES));
    c.put(ParsedEvents.ATTRIBUTES, col(ParsedEvents.ATTRIBUTES));
    c.put(SUMMARIZED, col(SessionRules.SUMMARY_STATUS).equalTo(SessionRules.SUMMARIZED));
    c.put(SessionRules.SUMMARY_STATUS, col(SessionRules.SUMMARY_STATUS));
    c.put("event_seq", col(SessionRules.SEQ).cast("long"));
    c.put(ParsedEvents.SOURCE_FILE, col(ParsedEvents.SOURCE_FILE));
    c.put(ParsedEvents.INPUT_DATE, col(ParsedEvents.INPUT_DATE));
    c.put(SessionRules.DATE, col(SessionRules.DATE));
    return assigned.select(Nesting.nest(c));
  }
}
