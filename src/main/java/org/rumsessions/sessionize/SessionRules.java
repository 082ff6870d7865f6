package org.rumsessions.sessionize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.rumsessions.normalize.Columns;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.normalize.ParsedEvents;

/**
 * The session rules of the data model, section 2, as window expressions over one partitioning by
 * session id: the same shuffle serves the ordering, the rules and the aggregation after them.
 *
 * <p>Events of a session id are ordered by (start, end, key). Event i belongs to the summary while
 * its start is at most {@code timeout} after the latest end of the events before it, and before the
 * session start plus {@code max-duration}; the first event that breaks either rule ends the session,
 * and it and every later event of the id are counted in no summary.
 *
 * <p>A session no event ended is closed when the data horizon has reached its last end + timeout
 * or its start + max duration: from then on no event that could still arrive (all start after the
 * horizon) could join it. Otherwise it is still open and deferred.
 */
public final class SessionRules {
  public static final String SEQ = "event_seq";
  public static final String SESSION_START_NS = "session_start_ns";
  public static final String SESSION_LAST_END_NS = "session_last_end_ns";
  public static final String INCLUDED = "in_session";
  public static final String ENDED_BY_EVENT = "ended_by_event";
  public static final String CLOSED = "session_closed";
  public static final String SUMMARY_STATUS = "summary_status";
  public static final String SESSION_DATE = "session_date";
  public static final String DATE = "date";

  /** Values of {@link #SUMMARY_STATUS} on {@code user_events}. */
  public static final String SUMMARIZED = "summarized";

  public static final String AFTER_SESSION_END = "after_session_end";
  public static final String SESSION_OPEN = "session_open";

  private static final String PREV_MAX_END = "prev_max_end_ns";
  private static final String BREAKS = "breaks_session";
  private static final String FIRST_BREAK = "first_break_seq";

  private final long timeoutNs;
  private final long maxDurationNs;

  public SessionRules(Duration timeout, Duration maxDuration) {
    this.timeoutNs = timeout.toNanos();
    this.maxDurationNs = maxDuration.toNanos();
  }

  public long timeoutNs() {
    return timeoutNs;
  }

  public long maxDurationNs() {
    return maxDurationNs;
  }

  /** Adds to each distinct event its place in its session and the session's state at the horizon. */
  public Dataset<Row> assign(Dataset<Row> events, long horizonNs) {
    Column sid = Columns.field(EventFields.SESSION_ID);
    WindowSpec ordered =
        Window.partitionBy(sid)
            .orderBy(col(ParsedEvents.START_NS), col(ParsedEvents.END_NS), col(ParsedEvents.DEDUP_KEY));
    WindowSpec before = ordered.rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec whole = Window.partitionBy(sid);

    Column start = col(ParsedEvents.START_NS);
    Column breaks =
        col(PREV_MAX_END).isNotNull()
            .and(
                start.minus(col(PREV_MAX_END)).gt(lit(timeoutNs))
                    .or(start.minus(col(SESSION_START_NS)).geq(lit(maxDurationNs))));
    Column included = col(FIRST_BREAK).isNull().or(col(SEQ).lt(col(FIRST_BREAK)));

    return events
        .withColumn(SEQ, row_number().over(ordered))
        .withColumn(PREV_MAX_END, max(col(ParsedEvents.END_NS)).over(before))
        .withColumn(SESSION_START_NS, min(start).over(whole))
        .withColumn(BREAKS, breaks)
        .withColumn(FIRST_BREAK, min(when(col(BREAKS), col(SEQ))).over(whole))
        .withColumn(INCLUDED, included)
        .withColumn(ENDED_BY_EVENT, col(FIRST_BREAK).isNotNull())
        .withColumn(SESSION_LAST_END_NS, max(when(col(INCLUDED), col(ParsedEvents.END_NS))).over(whole))
        .withColumn(CLOSED, closed(col(ENDED_BY_EVENT), col(SESSION_START_NS), col(SESSION_LAST_END_NS), horizonNs))
        .withColumn(
            SUMMARY_STATUS,
            when(col(INCLUDED).and(col(CLOSED)), lit(SUMMARIZED))
                .when(col(INCLUDED), lit(SESSION_OPEN))
                .otherwise(lit(AFTER_SESSION_END)))
        .withColumn(SESSION_DATE, Columns.utcDateFromNanos(SESSION_START_NS))
        .withColumn(DATE, Columns.utcDateFromNanos(ParsedEvents.START_NS))
        .drop(PREV_MAX_END, BREAKS, FIRST_BREAK);
  }

  /** Whether a session is over: an event ended it, or the horizon is past both of its deadlines' first. */
  Column closed(Column endedByEvent, Column sessionStart, Column lastEnd, long horizonNs) {
    return endedByEvent
        .or(lit(horizonNs).geq(lastEnd.plus(lit(timeoutNs))))
        .or(lit(horizonNs).geq(sessionStart.plus(lit(maxDurationNs))));
  }

  /**
   * Why a closed session ended: whichever deadline came first. The timeout deadline is passed only
   * strictly after last end + timeout, while max duration excludes an event starting exactly at
   * start + max duration, so on a tie max duration is first.
   */
  public Column endReason(Column sessionStart, Column lastEnd, Column userType) {
    return when(
            lastEnd.plus(lit(timeoutNs)).lt(sessionStart.plus(lit(maxDurationNs))),
            when(userType.equalTo(lit("synthetic")), lit(EndReasons.SYNTHETIC_EXECUTION_FINISHED))
                .otherwise(lit(EndReasons.TIMEOUT)))
        .otherwise(lit(EndReasons.MAX_DURATION));
  }
}
