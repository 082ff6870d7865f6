package org.rumsessions.bench;

import java.util.List;

/**
 * SQL macros the twin's decoding is written with: reading one JSON value as the contract's types.
 * The pipeline's own decoder is a Jackson parser in Java; these say the same rules in DuckDB SQL.
 * A value comes as its JSON type {@code t} ({@code json_type}: VARCHAR, BIGINT, UBIGINT, DOUBLE,
 * BOOLEAN, ARRAY, OBJECT; NULL when absent) and its text {@code s} ({@code json_extract_string}),
 * so that a record is parsed twice in all, not once per field.
 */
final class DuckDbMacros {
  private DuckDbMacros() {}

  /** ISO-8601 with a zone: date, T, HH:mm[:ss[.fraction up to 9 digits]], Z or +HH[:MM[:SS]]. */
  private static final String ISO =
      "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{0,9})?)?"
          + "([Zz]|[+-](0[0-9]|1[0-8])(:[0-5][0-9](:[0-5][0-9])?)?)";

  static List<String> statements() {
    return List.of(
        // Text fields take text, and numbers or booleans as their text; an array is a wrong type.
        // An object is no value of the field at all: a decoder that flattens keys sees only its members.
        """
        CREATE OR REPLACE TEMP MACRO rs_text(t, s) AS
          CASE WHEN t IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN') THEN s END""",
        "CREATE OR REPLACE TEMP MACRO rs_text_ok(t, s) AS t IS DISTINCT FROM 'ARRAY'",
        // Whole numbers: JSON integers in range, integral decimals, and text of digits.
        "CREATE OR REPLACE TEMP MACRO rs_digits(s) AS CASE WHEN regexp_full_match(s, '[+-]?[0-9]+') THEN TRY_CAST(s AS BIGINT) END",
        """
        CREATE OR REPLACE TEMP MACRO rs_long(t, s) AS CASE t
          WHEN 'BIGINT' THEN TRY_CAST(s AS BIGINT)
          WHEN 'UBIGINT' THEN TRY_CAST(s AS BIGINT)
          WHEN 'DOUBLE' THEN CASE WHEN TRY_CAST(s AS DOUBLE) = trunc(TRY_CAST(s AS DOUBLE))
                                   AND abs(TRY_CAST(s AS DOUBLE)) < 9.2e18
                              THEN TRY_CAST(s AS DOUBLE)::BIGINT END
          WHEN 'VARCHAR' THEN rs_digits(trim(s)) END""",
        "CREATE OR REPLACE TEMP MACRO rs_long_ok(t, s) AS t IS NULL OR t = 'OBJECT' OR rs_long(t, s) IS NOT NULL",
        // Booleans: JSON true/false, or the text "true"/"false" in any case.
        """
        CREATE OR REPLACE TEMP MACRO rs_bool(t, s) AS CASE t
          WHEN 'BOOLEAN' THEN s = 'true'
          WHEN 'VARCHAR' THEN CASE lower(trim(s)) WHEN 'true' THEN true WHEN 'false' THEN false END END""",
        "CREATE OR REPLACE TEMP MACRO rs_bool_ok(t, s) AS t IS NULL OR t = 'OBJECT' OR rs_bool(t, s) IS NOT NULL",
        // Times: epoch nanoseconds (a JSON integer or text of digits), or ISO-8601 with a zone, exact
        // to the nanosecond. Out of the 64-bit range is no time.
        "CREATE OR REPLACE TEMP MACRO rs_checked(h) AS CASE WHEN h BETWEEN -9223372036854775808 AND 9223372036854775807 THEN h::BIGINT END",
        """
        CREATE OR REPLACE TEMP MACRO rs_offset_s(z) AS CASE WHEN upper(z) = 'Z' THEN 0
          ELSE (CASE WHEN z[1] = '-' THEN -1 ELSE 1 END)
               * (z[2:3]::INT * 3600 + coalesce(TRY_CAST(z[5:6] AS INT), 0) * 60 + coalesce(TRY_CAST(z[8:9] AS INT), 0)) END""",
        """
        CREATE OR REPLACE TEMP MACRO rs_iso_ns(s) AS CASE WHEN regexp_full_match(s, '%s') THEN rs_checked(
            (date_diff('day', DATE '1970-01-01', TRY_CAST(s[1:10] AS DATE))::HUGEINT * 86400
             + s[12:13]::INT * 3600 + s[15:16]::INT * 60
             + coalesce(TRY_CAST(regexp_extract(s, '^.{16}:([0-9]{2})', 1) AS INT), 0)
             - rs_offset_s(regexp_extract(s, '([Zz]|[+-][0-9:]+)$', 1))) * 1000000000
            + TRY_CAST(rpad(regexp_extract(s, '\\.([0-9]*)', 1), 9, '0') AS BIGINT)) END"""
            .formatted(ISO),
        """
        CREATE OR REPLACE TEMP MACRO rs_text_ns(s) AS CASE WHEN regexp_full_match(s, '-?[0-9]+')
          THEN TRY_CAST(s AS BIGINT) ELSE rs_iso_ns(s) END""",
        """
        CREATE OR REPLACE TEMP MACRO rs_time_ns(t, s) AS CASE t
          WHEN 'BIGINT' THEN TRY_CAST(s AS BIGINT)
          WHEN 'UBIGINT' THEN TRY_CAST(s AS BIGINT)
          WHEN 'VARCHAR' THEN rs_text_ns(trim(s)) END""",
        // A duration: a whole number of nanoseconds, a JSON integer or text of digits.
        """
        CREATE OR REPLACE TEMP MACRO rs_whole_ns(t, s) AS CASE t
          WHEN 'BIGINT' THEN TRY_CAST(s AS BIGINT)
          WHEN 'UBIGINT' THEN TRY_CAST(s AS BIGINT)
          WHEN 'VARCHAR' THEN CASE WHEN regexp_full_match(trim(s), '-?[0-9]+') THEN TRY_CAST(trim(s) AS BIGINT) END END""",
        // The UTC day number of epoch nanoseconds, floored also before 1970.
        "CREATE OR REPLACE TEMP MACRO rs_utc_day(ns) AS CASE WHEN ns >= 0 THEN ns // 86400000000000 ELSE -((-(ns + 1)) // 86400000000000) - 1 END",
        // Session property values are kept as text: strings as they are, other scalars and arrays as JSON.
        """
        CREATE OR REPLACE TEMP MACRO rs_prop_text(j) AS CASE json_type(j)
          WHEN 'VARCHAR' THEN json_extract_string(j, '$') WHEN 'OBJECT' THEN NULL WHEN 'NULL' THEN NULL
          ELSE j::VARCHAR END""",
        // A record's session properties, spelled flat ("session_properties.plan") or nested
        // ({"session_properties": {"plan": ..}}), as a list of {name, value}.
        """
        CREATE OR REPLACE TEMP MACRO rs_props(doc) AS list_filter(list_concat(
            list_transform(
              list_filter(map_entries(json_transform(doc, '"MAP(VARCHAR, JSON)"')),
                          lambda e: starts_with(e.key, 'session_properties.')),
              lambda e: {'name': e.key[20:], 'value': rs_prop_text(e.value)}),
            CASE WHEN json_type(doc, '$.session_properties') = 'OBJECT' THEN
              list_transform(
                map_entries(json_transform(json_extract(doc, '$.session_properties'), '"MAP(VARCHAR, JSON)"')),
                lambda e: {'name': e.key, 'value': rs_prop_text(e.value)})
            ELSE [] END),
          lambda p: p.value IS NOT NULL)""",
        // privacy.client-ip: mask, read again from the data model (section 6) rather than from
        // the pipeline's IpAddresses: IPv4 to its first three octets, IPv6 to its first 48 bits
        // in RFC 5952 text, an IPv4-mapped IPv6 address as its IPv4; anything else is no address.
        // Values used more than once are bound once (list_transform over a one-element list), and
        // lambda parameters are named per macro, since macros are inlined into each other.
        """
        CREATE OR REPLACE TEMP MACRO rs_v4(s) AS CASE WHEN regexp_full_match(s, '[0-9]{1,3}(\\.[0-9]{1,3}){3}') THEN
          list_transform([list_transform(string_split(s, '.'), lambda v4_x: v4_x::INT)],
                         lambda v4_o: CASE WHEN list_max(v4_o) <= 255 THEN v4_o END)[1] END""",
        """
        CREATE OR REPLACE TEMP MACRO rs_hex(x) AS
          list_reduce(list_transform(string_split(lower(x), ''), lambda hex_c: strpos('0123456789abcdef', hex_c) - 1),
                      lambda hex_a, hex_b: hex_a * 16 + hex_b)""",
        // The 16-bit groups on one side of "::" (last: the side that may end in dotted IPv4).
        """
        CREATE OR REPLACE TEMP MACRO rs_v6_groups(p, last) AS CASE
          WHEN p = '' THEN []::INT[]
          WHEN NOT regexp_full_match(p, '[0-9A-Fa-f]{1,4}(:[0-9A-Fa-f]{1,4})*' || CASE WHEN last
                 THEN '(:[0-9]{1,3}(\\.[0-9]{1,3}){3})?|([0-9A-Fa-f]{1,4}:)*[0-9]{1,3}(\\.[0-9]{1,3}){3}' ELSE '' END) THEN NULL
          WHEN contains(p, '.') THEN
            list_transform([string_split(p, ':')], lambda g_parts: list_transform([rs_v4(g_parts[-1])], lambda g_v4:
              CASE WHEN g_v4 IS NOT NULL THEN list_concat(
                list_transform(g_parts[1:-2], lambda g_x: rs_hex(g_x)),
                [g_v4[1] * 256 + g_v4[2], g_v4[3] * 256 + g_v4[4]]) END)[1])[1]
          ELSE list_transform(string_split(p, ':'), lambda g_y: rs_hex(g_y)) END""",
        """
        CREATE OR REPLACE TEMP MACRO rs_v6(s) AS CASE
          WHEN NOT contains(s, ':') OR len(string_split(s, '::')) > 2 THEN NULL
          WHEN contains(s, '::') THEN
            list_transform([rs_v6_groups(split_part(s, '::', 1), false)], lambda v6_h:
              list_transform([rs_v6_groups(split_part(s, '::', 2), true)], lambda v6_t:
                CASE WHEN len(v6_h) + len(v6_t) <= 7
                  THEN list_concat(v6_h, list_transform(range(8 - len(v6_h) - len(v6_t)), lambda v6_z: 0), v6_t) END)[1])[1]
          ELSE list_transform([rs_v6_groups(s, true)], lambda v6_w: CASE WHEN len(v6_w) = 8 THEN v6_w END)[1] END""",
        """
        CREATE OR REPLACE TEMP MACRO rs_v6_masked(g) AS CASE
          WHEN g[1:5] = [0, 0, 0, 0, 0] AND g[6] = 65535
            THEN '::ffff:' || (g[7] // 256) || '.' || (g[7] % 256) || '.' || (g[8] // 256) || '.0'
          WHEN g[1] = 0 AND g[2] = 0 AND g[3] = 0 THEN '::'
          WHEN g[2] = 0 AND g[3] = 0 THEN format('{:x}::', g[1])
          WHEN g[3] = 0 THEN format('{:x}:{:x}::', g[1], g[2])
          ELSE format('{:x}:{:x}:{:x}::', g[1], g[2], g[3]) END""",
        """
        CREATE OR REPLACE TEMP MACRO rs_ip_masked(s) AS list_transform([trim(s)], lambda ip_t: CASE
          WHEN contains(ip_t, ':') THEN list_transform([rs_v6(split_part(ip_t, '%', 1))], lambda ip_v6: rs_v6_masked(ip_v6))[1]
          ELSE list_transform([rs_v4(ip_t)], lambda ip_v4: ip_v4[1] || '.' || ip_v4[2] || '.' || ip_v4[3] || '.0')[1] END)[1]""");
  }
}
