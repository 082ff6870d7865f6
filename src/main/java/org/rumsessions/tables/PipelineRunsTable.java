package org.rumsessions.tables;

import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.util.List;
import java.util.Map;

/** {@code pipeline_runs}: one row per run, with its range, timing and the counts that add up. */
public final class PipelineRunsTable {
  public static final String RUN_ID = "run_id";
  public static final String FROM_DATE = "from_date";
  public static final String TO_DATE = "to_date";
  public static final String STARTED_AT = "started_at";
  public static final String ENDED_AT = "ended_at";
  public static final String STATUS = "status";
  public static final String HORIZON = "horizon";
  public static final String INPUT_DATES_READ = "input_dates_read";
  public static final String RECORDS_READ = "records_read";
  public static final String RECORDS_REJECTED = "records_rejected";
  public static final String REJECTED_BY_REASON = "rejected_by_reason";
  public static final String DUPLICATES = "duplicates";
  public static final String EVENTS_ACCEPTED = "events_accepted";
  public static final String EVENTS_WRITTEN = "events_written";
  public static final String EVENTS_SUMMARIZED = "events_summarized";
  public static final String EVENTS_AFTER_SESSION_END = "events_after_session_end";
  public static final String EVENTS_IN_OPEN_SESSIONS = "events_in_open_sessions";
  public static final String SESSIONS_WRITTEN = "sessions_written";
  public static final String SESSIONS_DEFERRED = "sessions_deferred";
  public static final String SESSION_PROPERTIES_DROPPED = "session_properties_dropped";
  public static final String DEFERRED_DATES = "deferred_dates";
  public static final String TRIGGER = "trigger";
  public static final String REASON = "reason";
  public static final String CONFIG = "config";
  public static final String VERSION = "version";
  public static final String RECORDS_FORGOTTEN = "records_forgotten";

  /** {@link #STATUS} of a run that wrote every table. */
  public static final String SUCCEEDED = "succeeded";

  /** {@link #STATUS} of a run that did not finish and was rolled back by a later command. */
  public static final String ROLLED_BACK = "rolled_back";

  public static final TableSpec SPEC =
      new TableSpec(
          "pipeline_runs",
          null,
          "One row per run: its range, timing and the counts that add up; also the runs that did not finish and were rolled back",
          List.of(
              new ColumnSpec(RUN_ID, StringType, "Unique id of the run"),
              new ColumnSpec(FROM_DATE, DateType, "First date of the range"),
              new ColumnSpec(TO_DATE, DateType, "Last date of the range"),
              new ColumnSpec(STARTED_AT, TimestampType, "When the run started (UTC)"),
              new ColumnSpec(ENDED_AT, TimestampType, "When the run committed (UTC)"),
              new ColumnSpec(STATUS, StringType, SUCCEEDED + " (every table written) or " + ROLLED_BACK + " (did not finish; a later command rolled it back, see reason)"),
              new ColumnSpec(HORIZON, TimestampType, "Data horizon: sessions open at this time were deferred"),
              new ColumnSpec(INPUT_DATES_READ, createArrayType(DateType), "Input partitions read, the range and the days around it"),
              new ColumnSpec(RECORDS_READ, LongType, "Raw records in the input partitions of the range"),
              new ColumnSpec(RECORDS_REJECTED, LongType, "Of those, rejected (see rejected_events)"),
              new ColumnSpec(REJECTED_BY_REASON, createMapType(StringType, LongType), "Rejected records per reason code"),
              new ColumnSpec(DUPLICATES, LongType, "Of those, duplicate copies of an event kept elsewhere"),
              new ColumnSpec(EVENTS_ACCEPTED, LongType, "Of those, distinct events: records_read - records_rejected - duplicates - records_forgotten"),
              new ColumnSpec(EVENTS_WRITTEN, LongType, "user_events rows written for the range (by start date)"),
              new ColumnSpec(EVENTS_SUMMARIZED, LongType, "Of those, counted in a session summary"),
              new ColumnSpec(EVENTS_AFTER_SESSION_END, LongType, "Of those, after their session had ended"),
              new ColumnSpec(EVENTS_IN_OPEN_SESSIONS, LongType, "Of those, in sessions still open at the horizon"),
              new ColumnSpec(SESSIONS_WRITTEN, LongType, "user_sessions rows written for the range"),
              new ColumnSpec(SESSIONS_DEFERRED, LongType, "Sessions of the range still open at the horizon, not written"),
              new ColumnSpec(SESSION_PROPERTIES_DROPPED, LongType, "Session property names over session.max-properties, not kept"),
              new ColumnSpec(
                  DEFERRED_DATES, createArrayType(DateType), "Dates with sessions still open at the horizon; sessionize --changed recomputes them"),
              new ColumnSpec(TRIGGER, StringType, "range (dates given), changed (sessionize --changed) or forget (a forget run: no dates, no counts)"),
              new ColumnSpec(REASON, StringType, "Why these dates were computed"),
              new ColumnSpec(CONFIG, StringType, "The effective configuration of the run, as JSON"),
              new ColumnSpec(VERSION, StringType, "rum-sessions version"),
              // Last: tables from before it get it appended (DeltaTables.ensureCreated), where a
              // new table has it too.
              new ColumnSpec(
                  RECORDS_FORGOTTEN,
                  LongType,
                  "Of records_read, records of people forget erased (tombstones), dropped: records_read = records_rejected +"
                      + " duplicates + events_accepted + records_forgotten")),
          Map.of(),
          Map.of());

  private PipelineRunsTable() {}
}
