package org.rumsessions.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import scala.collection.JavaConverters;

@SuppressWarnings("deprecation")
class EventParserTest {
  private final EventParser parser = new EventParser(1);

  private Row parse(String json) {
    return withSchema(parser.parse(json, "file:/in/date=2026-11-26/a.jsonl", "2026-11-26"));
  }

  private static Row withSchema(Row r) {
    return r == null
        ? null
        : new GenericRowWithSchema(JavaConverters.seqAsJavaList(r.toSeq()).toArray(), ParsedEvents.SCHEMA);
  }

  private static Object get(Row r, String field) {
    return r.get(r.fieldIndex(EventField.columnOf(field)));
  }

  private static String reason(Row r) {
    return r.getAs(ParsedEvents.REJECT_REASON);
  }

  @SuppressWarnings("deprecation")
  private static Map<String, String> map(Row r, String column) {
    return JavaConverters.mapAsJavaMap(r.<scala.collection.Map<String, String>>getAs(column));
  }

  @Test
  void flatNestedAndMixedSpellingsDecodeToTheSameEvent() {
    Row flat = parse("{\"dt.rum.session.id\":\"s\",\"id\":\"e\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics.has_error\":true,\"browser.window.width\":1280}");
    Row nested = parse("{\"dt\":{\"rum\":{\"session\":{\"id\":\"s\"}}},\"id\":\"e\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics\":{\"has_error\":true},\"browser\":{\"window\":{\"width\":1280}}}");
    Row mixed = parse("{\"dt.rum\":{\"session.id\":\"s\"},\"id\":\"e\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics\":{\"has_error\":true},\"browser.window\":{\"width\":1280}}");
    for (Row r : new Row[] {flat, nested, mixed}) {
      assertNull(reason(r));
      assertEquals("s", get(r, "dt.rum.session.id"));
      assertEquals(true, get(r, "characteristics.has_error"));
      assertEquals(1280L, get(r, "browser.window.width"));
    }
  }

  @Test
  void isoAndNanosecondTimesAgreeToTheNanosecond() {
    Row iso = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T23:59:58.123456789Z\",\"end_time\":\"2026-11-27T01:59:58.123456789+02:00\"}");
    Row nanos = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":1795737598123456789,\"end_time\":\"1795737598123456789\"}");
    assertEquals(1795737598123456789L, (long) iso.getAs(ParsedEvents.START_NS));
    assertEquals(1795737598123456789L, (long) iso.getAs(ParsedEvents.END_NS));
    assertEquals(1795737598123456789L, (long) nanos.getAs(ParsedEvents.START_NS));
    assertEquals(0L, (long) nanos.getAs(ParsedEvents.DURATION));
  }

  @Test
  void endTimeDefaultsToStartPlusDurationElseStart() {
    Row withDuration = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"duration\":1500}");
    assertEquals(1500L, (long) withDuration.getAs(ParsedEvents.DURATION));
    assertEquals((long) withDuration.getAs(ParsedEvents.START_NS) + 1500, (long) withDuration.getAs(ParsedEvents.END_NS));
    Row explicit = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"end_time\":\"2026-11-26T10:00:02Z\",\"duration\":1}");
    assertEquals(2_000_000_000L, (long) explicit.getAs(ParsedEvents.DURATION));
  }

  @Test
  void aMalformedRecordsDetailNamesThePlaceButCopiesNoneOfItsText() {
    Row r = parse("{\"dt.rum.session.id\":\"s\",\"client.ip\":\"203.0.113.9\"");
    assertEquals("malformed_record", reason(r));
    assertEquals(
        "not a JSON object: Unexpected end-of-input: expected close marker for Object (start marker at [line: 1, column: 1])",
        r.getAs(ParsedEvents.REJECT_DETAIL));
  }

  @Test
  void aDurationBeyondSixtyFourBitsIsRejectedNotWrapped() {
    // Both times are valid (1684 and 2255), but 292 years apart.
    Row r = withSchema(parser.parse(
        "{\"dt.rum.session.id\":\"s\",\"start_time\":-9000000000000000000,\"end_time\":9000000000000000000}", "f", "1684-10-19"));
    assertEquals("invalid_end_time", reason(r));
    Row fits = withSchema(parser.parse(
        "{\"dt.rum.session.id\":\"s\",\"start_time\":-9000000000000000000,\"end_time\":200000000000000000}", "f", "1684-10-19"));
    assertNull(reason(fits));
    assertEquals(9_200_000_000_000_000_000L, (long) fits.getAs(ParsedEvents.DURATION));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all|malformed_record",
        "{\"dt.rum.session.id\":\"s\",|malformed_record",
        "[1,2,3]|malformed_record",
        "{\"a\":1} {\"b\":2}|malformed_record",
        "{\"start_time\":\"2026-11-26T10:00:00Z\"}|missing_session_id",
        "{\"dt.rum.session.id\":\"  \",\"start_time\":\"2026-11-26T10:00:00Z\"}|missing_session_id",
        "{\"dt.rum.session.id\":null,\"start_time\":\"2026-11-26T10:00:00Z\"}|missing_session_id",
        "{\"dt.rum.session.id\":\"s\"}|invalid_start_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00\"}|invalid_start_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"yesterday\"}|invalid_start_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":1.5e18}|invalid_start_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"end_time\":\"soon\"}|invalid_end_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"duration\":-5}|invalid_duration",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"duration\":\"long\"}|invalid_duration",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"end_time\":\"2026-11-26T09:00:00Z\"}|end_before_start",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"http.response.status_code\":\"abc\"}|invalid_field_value",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics.has_error\":\"maybe\"}|invalid_field_value",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-20T10:00:00Z\"}|start_time_far_from_partition"
      })
  void everyRejectionHasItsReason(String raw, String expected) {
    Row r = parse(raw);
    assertEquals(expected, reason(r));
    assertEquals(raw, r.getAs(ParsedEvents.RAW));
    assertTrue(((String) r.getAs(ParsedEvents.REJECT_DETAIL)).length() > 5);
  }

  @Test
  void blankLinesAreNoRecords() {
    assertNull(parse("   "));
    assertNull(parse(""));
  }

  @Test
  void nextDayFolderIsWithinTheAllowedDistance() {
    Row r = withSchema(parser.parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T23:59:00Z\"}", "f", "2026-11-27"));
    assertNull(reason(r));
  }

  @Test
  void aliasesFillThePrimaryNameButNeverOverrideIt() {
    Row alias = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"user.identifier\":\"u1\",\"interaction.name\":\"click\"}");
    assertEquals("u1", get(alias, "dt.rum.user_tag"));
    assertEquals("click", get(alias, "interaction.type"));
    Row both = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"user.identifier\":\"u1\",\"dt.rum.user_tag\":\"u2\"}");
    assertEquals("u2", get(both, "dt.rum.user_tag"));
  }

  @Test
  void sessionPropertiesAndUnknownKeysAreKeptAsText() {
    Row r = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"session_properties.plan\":\"gold\",\"session_properties\":{\"cart\":3,\"vip\":true},\"url.full\":\"https://x\",\"positions\":[1,2],\"custom\":{\"a\":1.5}}");
    assertEquals(Map.of("plan", "gold", "cart", "3", "vip", "true"), map(r, ParsedEvents.SESSION_PROPERTIES));
    assertEquals(Map.of("url.full", "https://x", "positions", "[1,2]", "custom.a", "1.5"), map(r, ParsedEvents.ATTRIBUTES));
  }

  @Test
  void typedValuesAcceptTextSpellings() {
    Row r = parse("{\"dt.rum.session.id\":42,\"start_time\":\"2026-11-26T10:00:00Z\",\"http.response.status_code\":\"404\",\"characteristics.has_request\":\"TRUE\",\"id\":7}");
    assertEquals("42", get(r, "dt.rum.session.id"));
    assertEquals(404L, get(r, "http.response.status_code"));
    assertEquals(true, get(r, "characteristics.has_request"));
    assertEquals("id:7", r.getAs(ParsedEvents.DEDUP_KEY));
  }

  @Test
  void fingerprintIgnoresSpellingButNotContent() {
    String a = "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics.has_error\":true}";
    String b = "{\"characteristics\":{\"has_error\":true},\"start_time\":1795687200000000000,\"dt\":{\"rum\":{\"session\":{\"id\":\"s\"}}}}";
    String c = "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics.has_error\":false}";
    String ka = parse(a).getAs(ParsedEvents.DEDUP_KEY);
    assertTrue(ka.startsWith("fp:"));
    assertEquals(ka, parse(b).getAs(ParsedEvents.DEDUP_KEY));
    assertNotEquals(ka, parse(c).getAs(ParsedEvents.DEDUP_KEY));
  }

  @Test
  void laterDuplicateKeyWins() {
    Row r = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"browser.name\":\"A\",\"browser\":{\"name\":\"B\"}}");
    assertEquals("B", get(r, "browser.name"));
  }
}
