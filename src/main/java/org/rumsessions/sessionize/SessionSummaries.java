package org.rumsessions.sessionize;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_from_arrays;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.try_subtract;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rumsessions.normalize.Columns;
import org.rumsessions.normalize.EventField;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.normalize.ParsedEvents;

/**
 * The {@code user_sessions} columns as aggregate expressions over the events the rules kept, one
 * group per session id. Every "first" and "last" is a min_by or max_by over the event's place in its
 * session (its order by start, end and key), so it is the same on any cluster: no {@code first()}
 * over an unordered group.
 */
public final class SessionSummaries {
  // The summary's columns, by the dotted names user_sessions shows. The summary itself has them flat
  // (EventField.columnOf: dots as "__"); the tables package nests them.
  public static final String START_TIME = "start_time";
  public static final String END_TIME = "end_time";
  public static final String DURATION = "duration";
  public static final String END_REASON = "end_reason";
  public static final String EVENT_COUNT = "event_count";
  public static final String ERROR_COUNT = "error.count";
  public static final String HTTP_4XX_COUNT = "error.http_4xx_count";
  public static final String HTTP_5XX_COUNT = "error.http_5xx_count";
  public static final String EXCEPTION_COUNT = "error.exception_count";
  public static final String ANR_COUNT = "error.anr_count";
  public static final String CSP_VIOLATION_COUNT = "error.csp_violation_count";
  public static final String HAS_CRASH = "error.has_crash";
  public static final String HAS_REPLAY = "characteristics.has_replay";
  public static final String IS_INVALID = "characteristics.is_invalid";
  public static final String IS_BOUNCE = "characteristics.is_bounce";
  public static final String APPLICATION_IDS = "dt.rum.application.ids";
  public static final String SESSION_PROPERTIES = ParsedEvents.SESSION_PROPERTIES;
  public static final String DATE = SessionRules.DATE;

  /** The characteristics counted per session, each as {@code <name without has_>_count}. */
  public static final List<String> COUNTED =
      List.of("has_navigation", "has_page_summary", "has_view_summary", "has_request", "has_user_interaction", "has_user_action");

  /** Internal columns next to the output ones. */
  public static final String CLOSED = "closed";

  public static final String PROPERTIES_DROPPED = "properties_dropped";

  private static final String P_NAME = "property_name";
  private static final String P_VALUE = "property_value";
  private static final String P_FIRST_SEEN = "first_seen";
  private static final String P_LAST_VALUE = "last_value";
  private static final String P_LIST = "properties_by_first_seen";
  /**
   * Grouping by the shuffle key rather than the session id column (equal on accepted rows) is what
   * lets every aggregation here reuse the partitioning of the session rules instead of shuffling.
   */
  private static final String SESSION_KEY = Normalizer.PARTITION_KEY;

  private final SessionRules rules;
  private final int maxProperties;

  public SessionSummaries(SessionRules rules, int maxProperties) {
    this.rules = rules;
    this.maxProperties = maxProperties;
  }

  /** The count column of a counted characteristic: {@code has_navigation} gives {@code navigation_count}. */
  public static String countOf(String characteristic) {
    return characteristic.substring("has_".length()) + "_count";
  }

  /**
   * One row per session id in {@code assigned} (open or closed; rows as {@link SessionRules#atHorizon}
   * returns them): every summary column flat (see the constants above), plus {@link #CLOSED} and
   * {@link #PROPERTIES_DROPPED}.
   */
  public Dataset<Row> summarize(Dataset<Row> assigned) {
    Dataset<Row> kept = assigned.where(col(Normalizer.KIND).equalTo(lit(Normalizer.EVENT)).and(col(SessionRules.INCLUDED)));
    List<Column> named = new ArrayList<>();
    aggregates().forEach((name, c) -> named.add(c.as(EventField.columnOf(name))));
    named.add(max(col(SessionRules.CLOSED)).as(CLOSED));
    Dataset<Row> flatSessions =
        kept.groupBy(col(SESSION_KEY))
            .agg(named.get(0), named.subList(1, named.size()).toArray(Column[]::new));

    Dataset<Row> withProps = flatSessions.join(properties(kept), SESSION_KEY, "left");
    return withProps
        .withColumn(SESSION_PROPERTIES, coalesce(col(SESSION_PROPERTIES), emptyMap()))
        .withColumn(PROPERTIES_DROPPED, coalesce(col(PROPERTIES_DROPPED), lit(0L)))
        .drop(SESSION_KEY);
  }

  /** Output name (dotted) to aggregate expression, in table order (session properties are joined in after). */
  private LinkedHashMap<String, Column> aggregates() {
    Column startNs = min(col(ParsedEvents.START_NS));
    Column endNs = max(col(ParsedEvents.END_NS));
    LinkedHashMap<String, Column> a = new LinkedHashMap<>();
    a.put(START_TIME, Columns.timestampFromNanos("min(" + ParsedEvents.START_NS + ")"));
    a.put(END_TIME, Columns.timestampFromNanos("max(" + ParsedEvents.END_NS + ")"));
    // Null rather than wrapped (or, in ANSI mode, a failed run) for a session longer than a long holds.
    a.put(DURATION, try_subtract(endNs, startNs));
    a.put(END_REASON, rules.endReason(startNs, endNs, firstNonNull(EventFields.USER_TYPE)));
    for (String characteristic : COUNTED) {
      a.put(countOf(characteristic), countWhere(flag(characteristic)));
    }
    a.put(EVENT_COUNT, count(lit(1)));

    Column requestEvent = flag("has_request").or(flag("has_failed_request"));
    Column status = Columns.field(EventFields.STATUS_CODE);
    a.put(ERROR_COUNT, countWhere(flag("has_error")));
    a.put(HTTP_4XX_COUNT, countWhere(requestEvent.and(status.between(400, 499))));
    a.put(HTTP_5XX_COUNT, countWhere(requestEvent.and(status.between(500, 599))));
    a.put(
        EXCEPTION_COUNT,
        countWhere(flag("has_exception").or(coalesce(Columns.field(EventFields.ERROR_TYPE).equalTo(lit("exception")), lit(false)))));
    a.put(ANR_COUNT, countWhere(flag("has_anr")));
    a.put(CSP_VIOLATION_COUNT, countWhere(flag("has_csp_violation")));
    a.put(HAS_CRASH, any(flag("has_crash")));

    a.put(HAS_REPLAY, any(flag("has_replay")));
    Column noActivity =
        countWhere(flag("has_navigation")).equalTo(0)
            .and(countWhere(flag("has_user_action")).equalTo(0))
            .and(countWhere(flag("has_user_interaction")).equalTo(0));
    Column allInvalid = min(flag("is_invalid"));
    a.put(IS_INVALID, noActivity.or(allInvalid));
    a.put(
        IS_BOUNCE,
        countWhere(flag("has_navigation")).leq(1).and(countWhere(flag("has_user_interaction")).equalTo(0)));

    a.put(EventFields.SESSION_ID, min(Columns.field(EventFields.SESSION_ID)));
    a.put(EventFields.INSTANCE_ID, firstNonNull(EventFields.INSTANCE_ID));
    a.put(EventFields.USER_TAG, lastNonNull(EventFields.USER_TAG));
    a.put(EventFields.USER_TYPE, firstNonNull(EventFields.USER_TYPE));
    a.put(APPLICATION_IDS, array_sort(collect_set(Columns.field(EventFields.APPLICATION_ID))));
    a.put(EventFields.FRONTEND_NAME, array_sort(collect_set(Columns.field(EventFields.FRONTEND_NAME))));
    for (EventField f : EventFields.CONTEXT) {
      a.put(f.name(), firstNonNull(f.name()));
    }
    a.put(DATE, Columns.utcDateFromNanos("min(" + ParsedEvents.START_NS + ")"));
    return a;
  }

  /**
   * Per session: for each property name its last value in event order; the first
   * {@code max-properties} names by first appearance (ties by name) are kept, the rest counted.
   */
  private Dataset<Row> properties(Dataset<Row> kept) {
    Dataset<Row> perName =
        kept.select(col(SESSION_KEY), col(SessionRules.SEQ), explode(col(ParsedEvents.SESSION_PROPERTIES)).as(new String[] {P_NAME, P_VALUE}))
            .groupBy(col(SESSION_KEY), col(P_NAME))
            .agg(min(col(SessionRules.SEQ)).as(P_FIRST_SEEN), max_by(col(P_VALUE), col(SessionRules.SEQ)).as(P_LAST_VALUE));
    Column byFirstSeen =
        sort_array(collect_list(struct(col(P_FIRST_SEEN), col(P_NAME), col(P_LAST_VALUE))));
    Dataset<Row> perSession = perName.groupBy(col(SESSION_KEY)).agg(byFirstSeen.as(P_LIST));
    Column keptNames = slice(col(P_LIST), 1, Math.max(maxProperties, 0));
    Column map =
        maxProperties == 0
            ? emptyMap()
            : map_from_arrays(keptNames.getField(P_NAME), keptNames.getField(P_LAST_VALUE));
    return perSession.select(
        col(SESSION_KEY),
        map.as(ParsedEvents.SESSION_PROPERTIES),
        greatest(size(col(P_LIST)).minus(lit(maxProperties)), lit(0)).cast("long").as(PROPERTIES_DROPPED));
  }

  private static Column emptyMap() {
    return map().cast("map<string,string>");
  }

  private static Column flag(String characteristic) {
    return coalesce(Columns.field(EventFields.characteristic(characteristic)), lit(false));
  }

  private static Column countWhere(Column condition) {
    return count(when(condition, lit(1)));
  }

  private static Column any(Column condition) {
    return coalesce(max(condition), lit(false));
  }

  // The event's place in its session (unique per session) orders "first" and "last": min_by and
  // max_by skip rows whose ordering value is null, which is how a null value is passed over.
  private static Column firstNonNull(String field) {
    Column v = Columns.field(field);
    return min_by(v, when(v.isNotNull(), col(SessionRules.SEQ)));
  }

  private static Column lastNonNull(String field) {
    Column v = Columns.field(field);
    return max_by(v, when(v.isNotNull(), col(SessionRules.SEQ)));
  }
}
