package org.rumsessions.tables;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;
import static org.rumsessions.sessionize.SessionSummaries.countOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rumsessions.normalize.EventField;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.sessionize.EndReasons;
import org.rumsessions.sessionize.SessionSummaries;

/** {@code user_sessions}: one row per closed session, the Dynatrace user.sessions model. */
public final class UserSessionsTable {
  public static final TableSpec SPEC =
      new TableSpec(
          "user_sessions",
          SessionSummaries.DATE,
          "One row per closed RUM user session (Dynatrace user.sessions model), partitioned by the UTC date of its start",
          columns(),
          StructComments.with(
              Map.of(
                  "error", "Error tallies of the session's summarized events",
                  "characteristics", "Session characteristics",
                  "frontend", "Frontends the session used",
                  "browser", "Browser: per field the first non-null value in event order",
                  "os", "Operating system: per field the first non-null value in event order",
                  "device", "Device: per field the first non-null value in event order",
                  "geo", "Geolocation: the first non-null value in event order",
                  "client", "Client network (personal data): per field the first non-null value in event order",
                  "app", "Mobile app version: per field the first non-null value in event order")),
          Map.of());

  private UserSessionsTable() {}

  private static List<ColumnSpec> columns() {
    List<ColumnSpec> c = new ArrayList<>();
    c.add(new ColumnSpec(SessionSummaries.START_TIME, TimestampType, "Start of the session: start_time of its first event (UTC)"));
    c.add(new ColumnSpec(SessionSummaries.END_TIME, TimestampType, "End of the session: latest end_time among its summarized events (UTC)"));
    c.add(new ColumnSpec(SessionSummaries.DURATION, LongType, "end_time - start_time in nanoseconds"));
    c.add(new ColumnSpec(
        SessionSummaries.END_REASON,
        StringType,
        "Why the session closed: " + EndReasons.TIMEOUT + ", " + EndReasons.MAX_DURATION + " or "
            + EndReasons.SYNTHETIC_EXECUTION_FINISHED + " (open string)"));
    for (String characteristic : SessionSummaries.COUNTED) {
      c.add(new ColumnSpec(countOf(characteristic), LongType, "Summarized events with characteristics." + characteristic));
    }
    c.add(new ColumnSpec(SessionSummaries.EVENT_COUNT, LongType, "Number of summarized events"));
    c.add(new ColumnSpec(SessionSummaries.ERROR_COUNT, LongType, "Summarized events with has_error"));
    c.add(new ColumnSpec(SessionSummaries.HTTP_4XX_COUNT, LongType, "Summarized request events with HTTP status 400-499"));
    c.add(new ColumnSpec(SessionSummaries.HTTP_5XX_COUNT, LongType, "Summarized request events with HTTP status 500-599"));
    c.add(new ColumnSpec(SessionSummaries.EXCEPTION_COUNT, LongType, "Events with has_exception or error.type = exception"));
    c.add(new ColumnSpec(SessionSummaries.ANR_COUNT, LongType, "Events with has_anr"));
    c.add(new ColumnSpec(SessionSummaries.CSP_VIOLATION_COUNT, LongType, "Events with has_csp_violation"));
    c.add(new ColumnSpec(SessionSummaries.HAS_CRASH, BooleanType, "Any event with has_crash"));
    c.add(new ColumnSpec(SessionSummaries.HAS_REPLAY, BooleanType, "Any event with has_replay"));
    c.add(new ColumnSpec(SessionSummaries.IS_INVALID, BooleanType, "No navigation and no user action or interaction, or every event invalid"));
    c.add(new ColumnSpec(SessionSummaries.IS_BOUNCE, BooleanType, "At most one navigation and no user interaction"));
    c.add(new ColumnSpec(EventFields.SESSION_ID, StringType, "Session id; drill down with user_events.dt.rum.session.id"));
    c.add(new ColumnSpec(EventFields.INSTANCE_ID, StringType, "RUM instance (browser or app install): first non-null value"));
    c.add(new ColumnSpec(EventFields.USER_TAG, StringType, "User tag (personal data): last non-null value"));
    c.add(new ColumnSpec(EventFields.USER_TYPE, StringType, "real_user, robot or synthetic: first non-null value"));
    c.add(new ColumnSpec(SessionSummaries.APPLICATION_IDS, createArrayType(StringType), "Distinct application ids, sorted"));
    c.add(new ColumnSpec(EventFields.FRONTEND_NAME, createArrayType(StringType), "Distinct frontend names, sorted"));
    for (EventField f : EventFields.CONTEXT) {
      c.add(new ColumnSpec(f.name(), f.kind().sparkType(), f.comment() + ": first non-null value in event order"));
    }
    c.add(new ColumnSpec(
        SessionSummaries.SESSION_PROPERTIES,
        createMapType(StringType, StringType),
        "Custom session properties: per name the last value; at most session.max-properties names, first seen win"));
    c.add(new ColumnSpec(SessionSummaries.DATE, DateType, "UTC date of start_time; the partition column"));
    return c;
  }
}
