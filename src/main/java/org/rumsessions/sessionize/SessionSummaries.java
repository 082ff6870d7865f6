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
import org.rumsessions.tables.Nesting;

/**
 * The {@code user_sessions} columns as aggregate expressions over the events the rules kept, one
 * group per session id. Every "first" and "last" is a min_by or max_by over the event's place in its
 * session (its order by start, end and key), so it is the same on any cluster: no {@code first()}
 * over an unordered group.
 */
public final class SessionSummaries {
  /** Internal columns next to the output ones, dropped before writing. */
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

  /**
   * One row per session id in {@code assigned} (open or closed; rows as {@link SessionRules#atHorizon}
   * returns them): the {@code user_sessions} columns
   * nested as written, plus {@link #CLOSED} and {@link #PROPERTIES_DROPPED}.
   */
  public Dataset<Row> summarize(Dataset<Row> assigned) {
    Dataset<Row> kept = assigned.where(col(Normalizer.KIND).equalTo(lit(Normalizer.EVENT)).and(col(SessionRules.INCLUDED)));
    LinkedHashMap<String, Column> aggregates = aggregates();
    List<Column> named = new ArrayList<>();
    aggregates.forEach((name, c) -> named.add(c.as(flat(name))));
    named.add(max(col(SessionRules.CLOSED)).as(CLOSED));
    Dataset<Row> flatSessions =
        kept.groupBy(col(SESSION_KEY))
            .agg(named.get(0), named.subList(1, named.size()).toArray(Column[]::new));

    Dataset<Row> withProps = flatSessions.join(properties(kept), SESSION_KEY, "left");

    LinkedHashMap<String, Column> out = new LinkedHashMap<>();
    for (String name : aggregates.keySet()) {
      if (name.equals(SessionRules.DATE)) {
        out.put(ParsedEvents.SESSION_PROPERTIES, coalesce(col(ParsedEvents.SESSION_PROPERTIES), emptyMap()));
      }
      out.put(name, col(flat(name)));
    }
    List<Column> select = new ArrayList<>(List.of(Nesting.nest(out)));
    select.add(col(CLOSED));
    select.add(coalesce(col(PROPERTIES_DROPPED), lit(0L)).as(PROPERTIES_DROPPED));
    return withProps.select(select.toArray(Column[]::new));
  }

  /** Output name (dotted) to aggregate expression, in table order. */
  private LinkedHashMap<String, Column> aggregates() {
    Column startNs = min(col(ParsedEvents.START_NS));
    Column endNs = max(col(ParsedEvents.END_NS));
    LinkedHashMap<String, Column> a = new LinkedHashMap<>();
    a.put("start_time", Columns.timestampFromNanos("min(" + ParsedEvents.START_NS + ")"));
    a.put("end_time", Columns.timestampFromNanos("max(" + ParsedEvents.END_NS + ")"));
    // Null rather than wrapped (or, in ANSI mode, a failed run) for a session longer than a long holds.
    a.put("duration", try_subtract(endNs, startNs));
    a.put("end_reason", rules.endReason(startNs, endNs, firstNonNull(EventFields.USER_TYPE)));
    a.put("navigation_count", countWhere(flag("has_navigation")));
    a.put("page_summary_count", countWhere(flag("has_page_summary")));
    a.put("view_summary_count", countWhere(flag("has_view_summary")));
    a.put("request_count", countWhere(flag("has_request")));
    a.put("user_interaction_count", countWhere(flag("has_user_interaction")));
    a.put("user_action_count", countWhere(flag("has_user_action")));
    a.put("event_count", count(lit(1)));

    Column requestEvent = flag("has_request").or(flag("has_failed_request"));
    Column status = Columns.field(EventFields.STATUS_CODE);
    a.put("error.count", countWhere(flag("has_error")));
    a.put("error.http_4xx_count", countWhere(requestEvent.and(status.between(400, 499))));
    a.put("error.http_5xx_count", countWhere(requestEvent.and(status.between(500, 599))));
    a.put(
        "error.exception_count",
        countWhere(flag("has_exception").or(coalesce(Columns.field(EventFields.ERROR_TYPE).equalTo(lit("exception")), lit(false)))));
    a.put("error.anr_count", countWhere(flag("has_anr")));
    a.put("error.csp_violation_count", countWhere(flag("has_csp_violation")));
    a.put("error.has_crash", any(flag("has_crash")));

    a.put("characteristics.has_replay", any(flag("has_replay")));
    Column noActivity =
        countWhere(flag("has_navigation")).equalTo(0)
            .and(countWhere(flag("has_user_action")).equalTo(0))
            .and(countWhere(flag("has_user_interaction")).equalTo(0));
    Column allInvalid = min(flag("is_invalid"));
    a.put("characteristics.is_invalid", noActivity.or(allInvalid));
    a.put(
        "characteristics.is_bounce",
        countWhere(flag("has_navigation")).leq(1).and(countWhere(flag("has_user_interaction")).equalTo(0)));

    a.put(EventFields.SESSION_ID, min(Columns.field(EventFields.SESSION_ID)));
    a.put(EventFields.INSTANCE_ID, firstNonNull(EventFields.INSTANCE_ID));
    a.put(EventFields.USER_TAG, lastNonNull(EventFields.USER_TAG));
    a.put(EventFields.USER_TYPE, firstNonNull(EventFields.USER_TYPE));
    a.put("dt.rum.application.ids", array_sort(collect_set(Columns.field(EventFields.APPLICATION_ID))));
    a.put(EventFields.FRONTEND_NAME, array_sort(collect_set(Columns.field(EventFields.FRONTEND_NAME))));
    for (EventField f : EventFields.CONTEXT) {
      a.put(f.name(), firstNonNull(f.name()));
    }
    a.put(SessionRules.DATE, Columns.utcDateFromNanos("min(" + ParsedEvents.START_NS + ")"));
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
    return org.apache.spark.sql.functions.map().cast("map<string,string>");
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

  private static String flat(String dotted) {
    return "s__" + EventField.columnOf(dotted);
  }
}
