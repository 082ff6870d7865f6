package org.rumsessions.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The statements of the DuckDB twin, one per stage, each creating a temporary table the next one
 * reads: decode every record, rank the copies of each event, apply the session rules, summarize.
 * Column names are the dotted dictionary names, quoted.
 */
final class DuckDbSql {
  /**
   * The rules' parameters: session timeout and max duration in nanoseconds, property cap, and what
   * becomes of client IPs ({@code mask}, {@code keep}, {@code drop}) and user tags ({@code keep},
   * {@code drop}: DuckDB has no HMAC for {@code hash}).
   */
  record Rules(long timeoutNs, long maxDurationNs, int maxProperties, String clientIp, String userTag) {
    Rules {
      if (!List.of("mask", "keep", "drop").contains(clientIp) || !List.of("keep", "drop").contains(userTag)) {
        throw new IllegalArgumentException("the twin handles privacy.client-ip mask, keep or drop and privacy.user-tag keep or drop");
      }
    }
  }

  private final InputListing listing;
  private final Rules rules;
  /** Every JSON path the decoder reads, all at once: one json_type and one json_extract_string per record. */
  private final List<String> paths = new ArrayList<>();
  /** Name (dotted, or a time key) to the 1-based positions of its spellings in {@link #paths}. */
  private final Map<String, List<Integer>> spellings = new LinkedHashMap<>();

  DuckDbSql(InputListing listing, Rules rules) {
    this.listing = listing;
    this.rules = rules;
    for (String time : TwinFields.TIMES) {
      addSpellings(time);
    }
    for (TwinFields.Field f : TwinFields.ALL) {
      addSpellings(f.name());
      if (f.alias() != null) {
        addSpellings(f.alias());
      }
    }
  }

  /** A decoded field's value as the tables get it, after the privacy settings. */
  private String personal(String field, String value) {
    if (field.equals(TwinFields.CLIENT_IP)) {
      return switch (rules.clientIp()) {
        case "mask" -> "rs_ip_masked(" + value + ")";
        case "drop" -> "CAST(NULL AS VARCHAR)";
        default -> value;
      };
    }
    return field.equals(TwinFields.USER_TAG) && rules.userTag().equals("drop") ? "CAST(NULL AS VARCHAR)" : value;
  }

  static String q(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  /**
   * Every record of the files, accepted or not: its reason when rejected, else its typed fields,
   * times in epoch nanoseconds, de-duplication key and session properties.
   */
  String decode() {
    List<Path> files = listing.localPaths();
    String fileList =
        files.stream().map(p -> literal(p.toAbsolutePath().toString())).collect(Collectors.joining(", ", "[", "]"));
    // Each file's input partition date as rum-sessions decides it (InputFiles), not parsed again here.
    List<String> dated = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      dated.add("(" + literal(files.get(i).toAbsolutePath().toString()) + ", DATE " + literal(listing.files().get(i).date().toString()) + ")");
    }
    String fileDates = "(VALUES " + String.join(", ", dated) + ") AS file_dates(file_name, file_date)";
    String pathList = paths.stream().map(DuckDbSql::literal).collect(Collectors.joining(", ", "[", "]"));

    // Per name: the position of its first spelling that the record has (JSON null is absent).
    List<String> found = new ArrayList<>();
    for (String name : spellings.keySet()) {
      found.add(firstSpelling(name) + " AS " + q("i:" + name));
    }
    // Per field (its alias standing in when it is absent): JSON type and text.
    List<String> values = new ArrayList<>();
    for (String time : TwinFields.TIMES) {
      values.add(typeAndText(time, q("i:" + time)));
    }
    for (TwinFields.Field f : TwinFields.ALL) {
      String at = f.alias() == null ? q("i:" + f.name()) : "coalesce(" + q("i:" + f.name()) + ", " + q("i:" + f.alias()) + ")";
      values.add(typeAndText(f.name(), at));
    }
    List<String> typed = new ArrayList<>();
    List<String> badField = new ArrayList<>();
    for (TwinFields.Field f : TwinFields.ALL) {
      String kind =
          switch (f.kind()) {
            case STRING -> "text";
            case LONG -> "long";
            case BOOLEAN -> "bool";
          };
      String args = "(" + t(f.name()) + ", " + sv(f.name()) + ")";
      typed.add(personal(f.name(), "rs_" + kind + args) + " AS " + q(f.name()));
      badField.add("WHEN NOT rs_" + kind + "_ok" + args + " THEN " + literal(f.name()));
    }
    String sidT = t(TwinFields.SESSION_ID);
    String endT = t(TwinFields.END_TIME);
    String tsT = t(TwinFields.TIMESTAMP);
    String durT = t(TwinFields.DURATION);

    return """
        CREATE TEMP TABLE decoded AS
        WITH picked AS (
          SELECT json AS doc, filename AS source_file,
                 (SELECT file_date FROM %20$s WHERE file_name = filename) AS input_date,
                 coalesce(json_type(json) = 'OBJECT', false) AS is_object,
                 json_type(json, %1$s) AS ty,
                 json_extract_string(json, %1$s) AS tx
          FROM read_ndjson_objects(%2$s, filename = true, ignore_errors = true, format = 'newline_delimited')
        ), found AS (
          SELECT *, %3$s FROM picked
        ), valued AS (
          SELECT doc, source_file, input_date, is_object, %4$s FROM found
        ), typed AS (
          SELECT *,
                 rs_time_ns(%5$s, %6$s) AS start_ns,
                 rs_time_ns(%7$s, %8$s) AS end_given_ns,
                 rs_time_ns(%9$s, %10$s) AS timestamp_ns,
                 rs_whole_ns(%11$s, %12$s) AS duration_ns,
                 %13$s,
                 CASE %14$s END AS bad_field
          FROM valued
        ), timed AS (
          SELECT *,
                 coalesce(end_given_ns::HUGEINT, start_ns::HUGEINT + duration_ns, start_ns::HUGEINT) AS end_wide
          FROM typed
        )
        SELECT input_date, source_file, hash(doc) AS doc_hash,
               CASE
                 WHEN NOT is_object THEN 'malformed_record'
                 WHEN %15$s IS NULL OR %15$s = 'OBJECT' OR regexp_full_match(coalesce(rs_text(%15$s, %16$s), 'x'), '[[:space:]]*')
                   THEN 'missing_session_id'
                 WHEN start_ns IS NULL THEN 'invalid_start_time'
                 WHEN %7$s IS NOT NULL AND %7$s <> 'OBJECT' AND end_given_ns IS NULL THEN 'invalid_end_time'
                 WHEN %9$s IS NOT NULL AND %9$s <> 'OBJECT' AND timestamp_ns IS NULL THEN 'invalid_end_time'
                 WHEN %11$s IS NOT NULL AND %11$s <> 'OBJECT' AND (duration_ns IS NULL OR duration_ns < 0)
                   THEN 'invalid_duration'
                 WHEN end_wide > 9223372036854775807 THEN 'invalid_duration'
                 WHEN end_wide < start_ns THEN 'end_before_start'
                 WHEN abs(rs_utc_day(start_ns) - date_diff('day', DATE '1970-01-01', input_date)) > %17$d
                   THEN 'start_time_far_from_partition'
                 WHEN bad_field IS NOT NULL THEN 'invalid_field_value'
               END AS reason,
               bad_field,
               start_ns,
               CASE WHEN end_wide <= 9223372036854775807 THEN end_wide::BIGINT END AS end_ns,
               CASE WHEN %18$s IS NOT NULL THEN 'id:' || %18$s ELSE 'fp:' || md5(doc::VARCHAR) END AS dedup_key,
               %19$s,
               CASE WHEN is_object AND contains(doc::VARCHAR, '"session_properties') THEN rs_props(doc) END AS props
        FROM timed
        """
        .formatted(
            pathList, fileList,
            String.join(",\n         ", found),
            String.join(",\n         ", values),
            t(TwinFields.START_TIME), sv(TwinFields.START_TIME),
            endT, sv(TwinFields.END_TIME),
            tsT, sv(TwinFields.TIMESTAMP),
            durT, sv(TwinFields.DURATION),
            String.join(",\n         ", typed), String.join(" ", badField),
            sidT, sv(TwinFields.SESSION_ID),
            listing.padDays(),
            q(TwinFields.ID),
            TwinFields.ALL.stream().map(f -> q(f.name())).collect(Collectors.joining(", ")),
            fileDates);
  }

  /**
   * The accepted records, each with its copy rank: 1 for the copy kept (earliest input partition,
   * then first file by path, then a hash of the record text), 2+ for duplicates.
   */
  String rankCopies() {
    return """
        CREATE TEMP TABLE events AS
        SELECT * EXCLUDE (reason, bad_field),
               row_number() OVER (PARTITION BY dedup_key ORDER BY input_date, source_file, doc_hash, start_ns, end_ns) AS copy_rank
        FROM decoded WHERE reason IS NULL
        """;
  }

  /**
   * Section 2 of the data model over the kept copies: per session id in event order, each event's
   * running maximum end time before it; the first event that starts more than the timeout after it,
   * or at or after session start + max duration, ends the session, and it and all later events of
   * the id are left out of the summary.
   */
  String assign() {
    return """
        CREATE TEMP TABLE assigned AS
        WITH ordered AS (
          SELECT *,
                 row_number() OVER w AS seq,
                 max(end_ns) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max_end,
                 min(start_ns) OVER (PARTITION BY %1$s) AS session_start
          FROM events
          WHERE copy_rank = 1
          WINDOW w AS (PARTITION BY %1$s ORDER BY start_ns, end_ns, dedup_key)
        ), flagged AS (
          SELECT *,
                 min(CASE WHEN prev_max_end IS NOT NULL
                           AND (start_ns - prev_max_end > %2$d OR start_ns - session_start >= %3$d)
                          THEN seq END) OVER (PARTITION BY %1$s) AS first_break
          FROM ordered
        )
        SELECT *, (first_break IS NULL OR seq < first_break) AS included FROM flagged
        """
        .formatted(q(TwinFields.SESSION_ID), rules.timeoutNs(), rules.maxDurationNs());
  }

  /**
   * One row per session id: the user_sessions columns, flat and named as the table's dotted
   * columns, plus whether the session is closed at the horizon and how many property names it
   * dropped. "First" and "last" values are by the event's place in its session ({@code seq}).
   */
  String summarize(long horizonNs) {
    long t = rules.timeoutNs();
    long m = rules.maxDurationNs();
    List<String> cols = new ArrayList<>();
    cols.add("make_timestamp(min(start_ns) // 1000)::TIMESTAMPTZ AS start_time");
    cols.add("make_timestamp(max(end_ns) // 1000)::TIMESTAMPTZ AS end_time");
    cols.add("max(end_ns) - min(start_ns) AS duration");
    cols.add(
        ("CASE WHEN max(end_ns) + %d < min(start_ns) + %d THEN"
                + " (CASE WHEN arg_min(%s, seq) FILTER (WHERE %s IS NOT NULL) = 'synthetic'"
                + " THEN 'synthetic_execution_finished' ELSE 'timeout' END)"
                + " ELSE 'max_duration' END AS end_reason")
            .formatted(t, m, q(TwinFields.USER_TYPE), q(TwinFields.USER_TYPE)));
    for (String[] c :
        new String[][] {
          {"navigation_count", "has_navigation"},
          {"page_summary_count", "has_page_summary"},
          {"view_summary_count", "has_view_summary"},
          {"request_count", "has_request"},
          {"user_interaction_count", "has_user_interaction"},
          {"user_action_count", "has_user_action"}
        }) {
      cols.add(countWhere(flag(c[1])) + " AS " + c[0]);
    }
    cols.add("count(*) AS event_count");
    String request = "(" + flag("has_request") + " OR " + flag("has_failed_request") + ")";
    String status = q(TwinFields.STATUS_CODE);
    cols.add(countWhere(flag("has_error")) + " AS " + q("error.count"));
    cols.add(countWhere(request + " AND " + status + " BETWEEN 400 AND 499") + " AS " + q("error.http_4xx_count"));
    cols.add(countWhere(request + " AND " + status + " BETWEEN 500 AND 599") + " AS " + q("error.http_5xx_count"));
    cols.add(
        countWhere(flag("has_exception") + " OR " + q(TwinFields.ERROR_TYPE) + " = 'exception'")
            + " AS " + q("error.exception_count"));
    cols.add(countWhere(flag("has_anr")) + " AS " + q("error.anr_count"));
    cols.add(countWhere(flag("has_csp_violation")) + " AS " + q("error.csp_violation_count"));
    cols.add("coalesce(bool_or(" + flag("has_crash") + "), false) AS " + q("error.has_crash"));
    cols.add("coalesce(bool_or(" + flag("has_replay") + "), false) AS " + q("characteristics.has_replay"));
    cols.add(
        ("(%s = 0 AND %s = 0 AND %s = 0) OR bool_and(coalesce(%s, false)) AS %s")
            .formatted(
                countWhere(flag("has_navigation")), countWhere(flag("has_user_action")),
                countWhere(flag("has_user_interaction")), flag("is_invalid"), q("characteristics.is_invalid")));
    cols.add(
        "(%s <= 1 AND %s = 0) AS %s"
            .formatted(countWhere(flag("has_navigation")), countWhere(flag("has_user_interaction")), q("characteristics.is_bounce")));
    cols.add(q(TwinFields.SESSION_ID));
    cols.add(firstNonNull(TwinFields.INSTANCE_ID));
    cols.add("arg_max(%1$s, seq) FILTER (WHERE %1$s IS NOT NULL) AS %1$s".formatted(q(TwinFields.USER_TAG)));
    cols.add(firstNonNull(TwinFields.USER_TYPE));
    cols.add(distinctSorted(TwinFields.APPLICATION_ID, "dt.rum.application.ids"));
    cols.add(distinctSorted(TwinFields.FRONTEND_NAME, TwinFields.FRONTEND_NAME));
    for (TwinFields.Field f : TwinFields.CONTEXT) {
      cols.add(firstNonNull(f.name()));
    }
    cols.add("DATE '1970-01-01' + CAST(rs_utc_day(min(start_ns)) AS INTEGER) AS date");
    cols.add(
        ("bool_or(first_break IS NOT NULL) OR %1$d >= max(end_ns) + %2$d OR %1$d >= min(start_ns) + %3$d AS closed")
            .formatted(horizonNs, t, m));

    String sid = q(TwinFields.SESSION_ID);
    int cap = Math.max(rules.maxProperties(), 0);
    return """
        CREATE TEMP TABLE sessions AS
        WITH kept AS (
          SELECT * FROM assigned WHERE included
        ), summary AS (
          SELECT %1$s
          FROM kept GROUP BY %2$s
        ), property_values AS (
          SELECT sid, p.name AS name, min(seq) AS first_seen, arg_max(p.value, seq) AS last_value
          FROM (SELECT %2$s AS sid, seq, unnest(props) AS p FROM kept WHERE props IS NOT NULL)
          GROUP BY sid, p.name
        ), properties AS (
          SELECT sid,
                 list({'k': name, 'v': last_value} ORDER BY first_seen, name) AS by_first_seen
          FROM property_values GROUP BY sid
        )
        SELECT s.* EXCLUDE (date, closed),
               coalesce(map_from_entries(p.by_first_seen[1:%3$d]), MAP {}::MAP(VARCHAR, VARCHAR)) AS session_properties,
               s.date, s.closed,
               greatest(coalesce(len(p.by_first_seen), 0) - %3$d, 0)::BIGINT AS properties_dropped
        FROM summary s LEFT JOIN properties p ON p.sid = s.%2$s
        """
        .formatted(String.join(",\n         ", cols), sid, cap);
  }

  /** The rows of user_sessions: closed sessions that started in the range. */
  String written() {
    return "SELECT * EXCLUDE (closed, properties_dropped) FROM sessions WHERE closed AND " + inRange("date")
        + " ORDER BY " + q(TwinFields.SESSION_ID);
  }

  String inRange(String dateColumn) {
    return "%s BETWEEN DATE '%s' AND DATE '%s'".formatted(dateColumn, listing.from(), listing.to());
  }

  private void addSpellings(String name) {
    List<Integer> at = new ArrayList<>();
    for (String p : JsonSpellings.paths(name)) {
      paths.add(p);
      at.add(paths.size());
    }
    spellings.put(name, at);
  }

  /** The 1-based position of the first spelling of {@code name} the record has; JSON null is absent. */
  private String firstSpelling(String name) {
    List<String> alternatives = new ArrayList<>();
    for (int i : spellings.get(name)) {
      alternatives.add("CASE WHEN ty[" + i + "] <> 'NULL' THEN " + i + " END");
    }
    return alternatives.size() == 1 ? alternatives.get(0) : "coalesce(" + String.join(", ", alternatives) + ")";
  }

  private static String typeAndText(String name, String position) {
    return "ty[" + position + "] AS " + t(name) + ", tx[" + position + "] AS " + sv(name);
  }

  /** The JSON type of a field's value (NULL when absent). */
  private static String t(String name) {
    return q("t:" + name);
  }

  /** The text of a field's value. */
  private static String sv(String name) {
    return q("s:" + name);
  }

  private static String flag(String name) {
    return q(TwinFields.flag(name));
  }

  private static String countWhere(String condition) {
    return "count(*) FILTER (WHERE " + condition + ")";
  }

  private static String firstNonNull(String name) {
    return "arg_min(%1$s, seq) FILTER (WHERE %1$s IS NOT NULL) AS %1$s".formatted(q(name));
  }

  private static String distinctSorted(String name, String as) {
    return "coalesce(list_sort(list(DISTINCT %s) FILTER (WHERE %s IS NOT NULL)), []::VARCHAR[]) AS %s"
        .formatted(q(name), q(name), q(as));
  }
}
