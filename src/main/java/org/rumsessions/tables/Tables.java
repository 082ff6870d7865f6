package org.rumsessions.tables;

import java.util.LinkedHashMap;
import java.util.Map;
import org.rumsessions.normalize.EventField;
import org.rumsessions.normalize.EventFields;

/** The four tables of the data model, with the comments taken from the spec. */
public final class Tables {
  public static final String USER_SESSIONS = "user_sessions";
  public static final String USER_EVENTS = "user_events";
  public static final String REJECTED_EVENTS = "rejected_events";
  public static final String PIPELINE_RUNS = "pipeline_runs";

  public static final TableSpec SESSIONS =
      new TableSpec(
          USER_SESSIONS,
          "date",
          "One row per closed RUM user session (Dynatrace user.sessions model), partitioned by the UTC date of its start",
          sessionComments());

  public static final TableSpec EVENTS =
      new TableSpec(
          USER_EVENTS,
          "date",
          "Every accepted, de-duplicated RUM user event, partitioned by the UTC date of its start; join on dt.rum.session.id",
          eventComments(),
          // File statistics cost time on every write of this wide table; keep them to the columns
          // drill-downs filter on.
          Map.of("delta.dataSkippingStatsColumns", "start_time,end_time,dt.rum.session.id,summary_status"));

  public static final TableSpec REJECTED =
      new TableSpec(
          REJECTED_EVENTS,
          "date",
          "Raw records that were not accepted as events, with a reason code; partitioned by input partition date",
          Map.of(
              "raw_record", "The raw record as text; null for unreadable_file",
              "reason", "Reason code: malformed_record, missing_session_id, invalid_start_time, invalid_end_time, invalid_duration, end_before_start, invalid_field_value, start_time_far_from_partition, unreadable_file",
              "detail", "What exactly was wrong (never the record's values)",
              "source_file", "File the record was read from",
              "run_id", "Run that first rejected this record",
              "date", "Date of the input partition the record was read from"));

  public static final TableSpec RUNS =
      new TableSpec(
          PIPELINE_RUNS,
          null,
          "One row per successful sessionize run: its range, timing and the counts that add up",
          runComments());

  public static final String INPUT_FILES = "input_files";

  public static final TableSpec FILES =
      new TableSpec(
          INPUT_FILES,
          "date",
          "The input files each run read, per input partition; sessionize --changed compares the input with it",
          Map.of(
              "path", "Input file",
              "size", "Its size in bytes when read",
              "modification_time", "Its modification time when read",
              "run_id", "The run that read it",
              "date", "Date of its input partition"));

  public static final TableSpec[] ALL = {SESSIONS, EVENTS, REJECTED, RUNS, FILES};

  private Tables() {}

  private static Map<String, String> sessionComments() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("start_time", "Start of the session: start_time of its first event (UTC)");
    c.put("end_time", "End of the session: latest end_time among its summarized events (UTC)");
    c.put("duration", "end_time - start_time in nanoseconds");
    c.put("end_reason", "Why the session closed: timeout, max_duration or synthetic_execution_finished (open string)");
    c.put("navigation_count", "Summarized events with characteristics.has_navigation");
    c.put("page_summary_count", "Summarized events with characteristics.has_page_summary");
    c.put("view_summary_count", "Summarized events with characteristics.has_view_summary");
    c.put("request_count", "Summarized events with characteristics.has_request");
    c.put("user_interaction_count", "Summarized events with characteristics.has_user_interaction");
    c.put("user_action_count", "Summarized events with characteristics.has_user_action");
    c.put("event_count", "Number of summarized events");
    c.put("error", "Error tallies of the session");
    c.put("error.count", "Summarized events with has_error");
    c.put("error.http_4xx_count", "Summarized request events with HTTP status 400-499");
    c.put("error.http_5xx_count", "Summarized request events with HTTP status 500-599");
    c.put("error.exception_count", "Events with has_exception or error.type = exception");
    c.put("error.anr_count", "Events with has_anr");
    c.put("error.csp_violation_count", "Events with has_csp_violation");
    c.put("error.has_crash", "Any event with has_crash");
    c.put("characteristics", "Session characteristics");
    c.put("characteristics.has_replay", "Any event with has_replay");
    c.put("characteristics.is_invalid", "No navigation and no user action or interaction, or every event invalid");
    c.put("characteristics.is_bounce", "At most one navigation and no user interaction");
    c.put("dt", "Dynatrace identifiers");
    c.put("dt.rum.session.id", "Session id; drill down with user_events.dt.rum.session.id");
    c.put("dt.rum.instance.id", "RUM instance (browser or app install): first non-null value");
    c.put("dt.rum.user_tag", "User tag (personal data): last non-null value");
    c.put("dt.rum.user_type", "real_user, robot or synthetic: first non-null value");
    c.put("dt.rum.application.ids", "Distinct application ids, sorted");
    c.put("frontend.name", "Distinct frontend names, sorted");
    for (EventField f : EventFields.CONTEXT) {
      c.put(f.name(), f.comment() + ": first non-null value in event order");
    }
    c.put("session_properties", "Custom session properties: per name the last value; at most session.max-properties names, first seen win");
    c.put("date", "UTC date of start_time; the partition column");
    return c;
  }

  private static Map<String, String> eventComments() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("start_time", "Event start (UTC)");
    c.put("end_time", "Event end: end_time, else start_time + duration, else start_time (UTC)");
    c.put("duration", "end_time - start_time in nanoseconds");
    c.put("timestamp", "The event's timestamp field, when it has one (UTC)");
    for (EventField f : EventFields.ALL) {
      c.put(f.name(), f.comment());
    }
    c.put("session_properties", "Custom session properties set by this event");
    c.put("attributes", "Every other field of the raw record, by dotted name, as text");
    c.put("summarized", "True when the event is counted in a session summary of user_sessions");
    c.put("summary_status", "summarized, after_session_end (the session had ended) or session_open (deferred at the horizon)");
    c.put("event_seq", "Position of the event in its session id's event order (start, end, id), from 1");
    c.put("source_file", "File the event was read from (the kept copy, for duplicates)");
    c.put("input_date", "Date of the input partition the event was read from");
    c.put("date", "UTC date of start_time; the partition column");
    return c;
  }

  private static Map<String, String> runComments() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("run_id", "Unique id of the run");
    c.put("from_date", "First date of the range");
    c.put("to_date", "Last date of the range");
    c.put("started_at", "When the run started (UTC)");
    c.put("ended_at", "When the run committed (UTC)");
    c.put("status", "succeeded");
    c.put("horizon", "Data horizon: sessions open at this time were deferred");
    c.put("input_dates_read", "Input partitions read, the range and the days around it");
    c.put("records_read", "Raw records in the input partitions of the range");
    c.put("records_rejected", "Of those, rejected (see rejected_events)");
    c.put("rejected_by_reason", "Rejected records per reason code");
    c.put("duplicates", "Of those, duplicate copies of an event kept elsewhere");
    c.put("events_accepted", "Of those, distinct events: records_read - records_rejected - duplicates");
    c.put("events_written", "user_events rows written for the range (by start date)");
    c.put("events_summarized", "Of those, counted in a session summary");
    c.put("events_after_session_end", "Of those, after their session had ended");
    c.put("events_in_open_sessions", "Of those, in sessions still open at the horizon");
    c.put("sessions_written", "user_sessions rows written for the range");
    c.put("sessions_deferred", "Sessions of the range still open at the horizon, not written");
    c.put("session_properties_dropped", "Session property names over session.max-properties, not kept");
    c.put("deferred_dates", "Dates with sessions still open at the horizon; sessionize --changed recomputes them");
    c.put("trigger", "range (dates given) or changed (sessionize --changed)");
    c.put("reason", "Why these dates were computed");
    c.put("config", "The effective configuration of the run, as JSON");
    c.put("version", "rum-sessions version");
    return c;
  }
}
