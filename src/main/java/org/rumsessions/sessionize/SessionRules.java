package org.rumsessions.sessionize;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.try_add;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.rumsessions.common.DateRange;
import org.rumsessions.normalize.Columns;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.normalize.ParsedEvents;

/**
 * The session rules of the data model, section 2, as window expressions over one partitioning by
 * session id: the same shuffle serves de-duplication, the ordering, the rules and the aggregation.
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
  public static final String DATE = DateRange.DATE;

  /** Values of {@link #SUMMARY_STATUS} on {@code user_events}. */
  public static final String SUMMARIZED = "summarized";

  public static final String AFTER_SESSION_END = "after_session_end";
  public static final String SESSION_OPEN = "session_open";

  private static final String PREV_MAX_END = "prev_max_end_ns";
  private static final String BREAKS = "breaks_session";
  private static final String FIRST_BREAK = "first_break_seq";
  private static final String END_BEFORE_BREAK = "latest_end_before_break_ns";
  private static final String LATEST_END = "latest_end_ns";

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

  /**
   * Adds to each distinct event its place in its session and the facts of its session that do not
   * depend on the data horizon: its start, whether an event ended it, the latest end of the events
   * it kept. Rows must come from {@link Normalizer#markCopies}; the rules see each kind of row apart,
   * and only what they say of {@link Normalizer#EVENT} rows means anything.
   *
   * <p>Two window passes over one sort by (session, start, end, key): a running pass for the order,
   * the latest end before each event and the session start, then one pass over each whole session
   * for its first breaking event. The latest end of the kept events is the running maximum just
   * before the first break (running maxima never decrease), or the session's latest end when nothing
   * breaks it.
   */
  public Dataset<Row> assign(Dataset<Row> events) {
    Column session = col(Normalizer.PARTITION_KEY);
    Column kind = col(Normalizer.KIND);
    WindowSpec ordered =
        Window.partitionBy(session, kind)
            .orderBy(col(ParsedEvents.START_NS), col(ParsedEvents.END_NS), col(ParsedEvents.DEDUP_KEY));
    WindowSpec before = ordered.rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec upToHere = ordered.rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    WindowSpec whole = Window.partitionBy(session, kind);

    Column start = col(ParsedEvents.START_NS);
    Column breaks =
        col(PREV_MAX_END).isNotNull()
            .and(
                reached(start.gt(deadline(col(PREV_MAX_END), timeoutNs)))
                    .or(reached(start.geq(deadline(col(SESSION_START_NS), maxDurationNs)))));

    // Window expressions of one spec go in one select, so that each spec is one window operator.
    return events
        .select(
            col("*"),
            row_number().over(ordered).as(SEQ),
            max(col(ParsedEvents.END_NS)).over(before).as(PREV_MAX_END),
            min(start).over(upToHere).as(SESSION_START_NS))
        .withColumn(BREAKS, breaks)
        .select(
            col("*"),
            min(when(col(BREAKS), col(SEQ))).over(whole).as(FIRST_BREAK),
            min(when(col(BREAKS), col(PREV_MAX_END))).over(whole).as(END_BEFORE_BREAK),
            max(col(ParsedEvents.END_NS)).over(whole).as(LATEST_END))
        // One projection, not one per column: each Dataset step analyzes the whole 60-column plan again.
        .withColumns(
            orderedMap(
                INCLUDED, col(FIRST_BREAK).isNull().or(col(SEQ).lt(col(FIRST_BREAK))),
                ENDED_BY_EVENT, col(FIRST_BREAK).isNotNull(),
                SESSION_LAST_END_NS, coalesce(col(END_BEFORE_BREAK), col(LATEST_END)),
                DATE, Columns.utcDateFromNanos(ParsedEvents.START_NS)))
        .drop(PREV_MAX_END, BREAKS, FIRST_BREAK, END_BEFORE_BREAK, LATEST_END);
  }

  private static java.util.Map<String, Column> orderedMap(Object... nameThenColumn) {
    java.util.Map<String, Column> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < nameThenColumn.length; i += 2) {
      m.put((String) nameThenColumn[i], (Column) nameThenColumn[i + 1]);
    }
    return m;
  }

  /**
   * The horizon's verdict on each row of {@link #assign}: {@link #CLOSED} for its session, and the
   * event's {@link #SUMMARY_STATUS}. Cheap column expressions, so that the horizon can be learnt from
   * the same materialized rows that it then applies to.
   */
  public Dataset<Row> atHorizon(Dataset<Row> assigned, long horizonNs) {
    return assigned
        .withColumn(CLOSED, closed(col(ENDED_BY_EVENT), col(SESSION_START_NS), col(SESSION_LAST_END_NS), horizonNs))
        .withColumn(
            SUMMARY_STATUS,
            when(col(INCLUDED).and(col(CLOSED)), lit(SUMMARIZED))
                .when(col(INCLUDED), lit(SESSION_OPEN))
                .otherwise(lit(AFTER_SESSION_END)));
  }

  /** Whether a session is over: an event ended it, or the horizon is past both of its deadlines' first. */
  Column closed(Column endedByEvent, Column sessionStart, Column lastEnd, long horizonNs) {
    return endedByEvent
        .or(reached(lit(horizonNs).geq(deadline(lastEnd, timeoutNs))))
        .or(reached(lit(horizonNs).geq(deadline(sessionStart, maxDurationNs))));
  }

  /**
   * A time plus a rule's length, or null when that lies beyond the last representable nanosecond
   * (2262-04-11). A plain {@code +} wrapped around to 1677 without ANSI mode, and failed the run
   * with it.
   */
  private static Column deadline(Column time, long lengthNs) {
    return try_add(time, lit(lengthNs));
  }

  /** A comparison with a {@link #deadline}: a deadline past the end of time is never reached. */
  private static Column reached(Column comparison) {
    return coalesce(comparison, lit(false));
  }

  /**
   * Why a closed session ended: whichever deadline came first. The timeout deadline is passed only
   * strictly after last end + timeout, while max duration excludes an event starting exactly at
   * start + max duration, so on a tie max duration is first. Compared as decimals, which hold both
   * deadlines even past the last representable nanosecond.
   */
  public Column endReason(Column sessionStart, Column lastEnd, Column userType) {
    return when(
            exact(lastEnd).plus(lit(timeoutNs)).lt(exact(sessionStart).plus(lit(maxDurationNs))),
            when(userType.equalTo(lit("synthetic")), lit(EndReasons.SYNTHETIC_EXECUTION_FINISHED))
                .otherwise(lit(EndReasons.TIMEOUT)))
        .otherwise(lit(EndReasons.MAX_DURATION));
  }

  private static Column exact(Column nanos) {
    return nanos.cast("decimal(20,0)");
  }
}
