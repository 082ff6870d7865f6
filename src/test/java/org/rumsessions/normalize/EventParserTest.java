package org.rumsessions.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
  void keysAreTheSameOnceTheDecoderKnowsThemAndPastItsBoundOfKeptKeys() {
    // The decoder keeps the keys it met per thread, up to a bound: the same record decodes alike the
    // first time, once its keys are kept, and after thousands of other keys filled the bound.
    String json =
        "{\"dt\":{\"rum.session\":{\"id\":\"s\"}},\"start_time\":\"2026-11-26T10:00:00Z\",\"\":{\"a\":1,\"\":{\"b\":2}},"
            + "\"x.\":{\"y\":3},\"browser\":{\"name\":\"B\",\"window\":{\"width\":5}}}";
    Map<String, String> expected = Map.of(".a", "1", "..b", "2", "x..y", "3");
    Row first = parse(json);
    for (int i = 0; i < 5_000; i++) {
      parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"k" + i + "\":{\"v" + i + "\":1}}");
    }
    Row after = parse(json);
    for (Row r : new Row[] {first, parse(json), after}) {
      assertNull(reason(r));
      assertEquals("s", get(r, "dt.rum.session.id"));
      assertEquals("B", get(r, "browser.name"));
      assertEquals(5L, get(r, "browser.window.width"));
      assertEquals(expected, map(r, ParsedEvents.ATTRIBUTES));
    }
    Row late = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"late\":{\"key\":\"v\"}}");
    assertEquals(Map.of("late.key", "v"), map(late, ParsedEvents.ATTRIBUTES));
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
    // Where the JSON breaks (after the last character), never the parser's words about it.
    assertEquals("not valid JSON: it breaks at character 51", r.getAs(ParsedEvents.REJECT_DETAIL));
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
  void farFromItsPartitionTheDetailGivesTheDistanceNotTheDate() {
    Row r = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-20T10:00:00Z\"}");
    assertEquals("start_time_far_from_partition", reason(r));
    assertEquals("start_time is 6 days before its input partition's date; at most 1 allowed", r.getAs(ParsedEvents.REJECT_DETAIL));
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

  private static String detail(Row r) {
    return r.getAs(ParsedEvents.REJECT_DETAIL);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"dt.rum.session.id\":{\"x\":1},\"start_time\":\"2026-11-26T10:00:00Z\"}|invalid_field_value|dt.rum.session.id",
        "{\"dt.rum.session.id\":{},\"start_time\":\"2026-11-26T10:00:00Z\"}|invalid_field_value|dt.rum.session.id",
        "{\"dt\":{\"rum\":{\"session\":{\"id\":{\"x\":1}}}},\"start_time\":\"2026-11-26T10:00:00Z\"}|invalid_field_value|dt.rum.session.id",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"browser.name\":{\"vendor\":\"x\"}}|invalid_field_value|browser.name",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"http.response.status_code\":{\"a\":404}}|invalid_field_value|http.response.status_code",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics\":{\"has_error\":{\"b\":true}}}|invalid_field_value|characteristics.has_error",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"id\":[1]}|invalid_field_value|id",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":{\"iso\":\"2026-11-26T10:00:00Z\"}}|invalid_start_time|start_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":[\"2026-11-26T10:00:00Z\"]}|invalid_start_time|start_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"end_time\":{\"at\":1}}|invalid_end_time|end_time",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"timestamp\":[1]}|invalid_end_time|timestamp",
        "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"duration\":{\"ns\":1}}|invalid_duration|duration"
      })
  void anObjectOrArrayWhereAValueBelongsIsRejectedNamingTheField(String raw, String expected, String field) {
    Row r = parse(raw);
    assertEquals(expected, reason(r));
    assertTrue(detail(r).startsWith(field + " "), detail(r));
    assertEquals(raw, r.getAs(ParsedEvents.RAW), "the record itself is kept");
  }

  @Test
  void objectsUnderOtherKeysStillNestTheirNames() {
    Row r = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"browser\":{\"name\":\"Firefox\",\"window\":{\"width\":800}},\"custom\":{\"k\":{\"v\":1}}}");
    assertNull(reason(r));
    assertEquals("Firefox", get(r, "browser.name"));
    assertEquals(800L, get(r, "browser.window.width"));
    assertEquals(Map.of("custom.k.v", "1"), map(r, ParsedEvents.ATTRIBUTES));
  }

  /** Records whose text holds a secret where the parser stops; the detail must not repeat it. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "secretuser42",
        "{\"dt.rum.session.id\":secretuser42}",
        "{\"dt.rum.session.id\":\"s\",\"secretuser42\"}",
        "{\"dt.rum.session.id\":\"s\" \"secretuser42\":1}",
        "{\"dt.rum.session.id\":\"secretuser42",
        "{\"a\":1} secretuser42",
        "{\"dt.rum.session.id\":\"s\",\"n\":-secretuser42}",
        "{\"dt.rum.session.id\":'secretuser42'}"
      })
  void theDetailOfAMalformedRecordNeverRepeatsItsText(String raw) {
    Row r = parse(raw);
    assertEquals("malformed_record", reason(r));
    assertFalse(detail(r).toLowerCase(java.util.Locale.ROOT).contains("secret"), detail(r));
    assertFalse(detail(r).contains("user42"), detail(r));
  }

  @Test
  void theParserLimitsAreTheProjectsOwnAndEachHasItsDetail() {
    String longString = "x".repeat(EventParser.MAX_STRING_LENGTH + 1);
    Row string = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"note\":\"" + longString + "\"}");
    assertEquals("malformed_record", reason(string));
    assertEquals("a string is longer than the parser's limit of 20,000,000 characters", detail(string));

    String deep = "{\"a\":".repeat(EventParser.MAX_NESTING_DEPTH + 1) + "1" + "}".repeat(EventParser.MAX_NESTING_DEPTH + 1);
    Row depth = parse(deep);
    assertEquals("malformed_record", reason(depth));
    assertEquals("objects and arrays nest deeper than the parser's limit of 1,000 levels", detail(depth));

    Row number = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":" + "7".repeat(EventParser.MAX_NUMBER_LENGTH + 1) + "}");
    assertEquals("malformed_record", reason(number));
    assertEquals("a number is longer than the parser's limit of 1,000 characters", detail(number));

    Row name = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"" + "k".repeat(EventParser.MAX_NAME_LENGTH + 1) + "\":1}");
    assertEquals("malformed_record", reason(name));
    assertEquals("a key is longer than the parser's limit of 50,000 characters", detail(name));

    // Just within every limit, the same record is an event.
    Row within = parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\",\"" + "k".repeat(EventParser.MAX_NAME_LENGTH)
        + "\":" + "7".repeat(EventParser.MAX_NUMBER_LENGTH) + "}");
    assertNull(reason(within));
  }

  @Test
  void theLimitsAreSetOnTheFactoryNotLeftToTheJacksonVersion() {
    com.fasterxml.jackson.core.StreamReadConstraints c = EventParser.jsonFactory().streamReadConstraints();
    assertEquals(EventParser.MAX_STRING_LENGTH, c.getMaxStringLength());
    assertEquals(EventParser.MAX_NESTING_DEPTH, c.getMaxNestingDepth());
    assertEquals(EventParser.MAX_NUMBER_LENGTH, c.getMaxNumberLength());
  }

  /**
   * Millions of digits where a time, a duration or a number belongs cost no more than any bad
   * value. The timeout only guards against a hang (building a BigInteger of them took minutes).
   */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aValueOfMillionsOfDigitsIsRejectedWithoutArithmeticOnIt() {
    String digits = "9".repeat(5_000_000);
    String zeros = "0".repeat(5_000_000) + "1795737598123456789";
    String base = "{\"dt.rum.session.id\":\"s\",\"start_time\":\"2026-11-26T10:00:00Z\"";
    assertEquals("invalid_start_time", reason(parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"" + digits + "\"}")));
    assertEquals("invalid_end_time", reason(parse(base + ",\"end_time\":\"" + digits + "\"}")));
    assertEquals("invalid_end_time", reason(parse(base + ",\"timestamp\":\"-" + digits + "\"}")));
    assertEquals("invalid_duration", reason(parse(base + ",\"duration\":\"" + digits + "\"}")));
    Row status = parse(base + ",\"http.response.status_code\":\"" + digits + "\"}");
    assertEquals("invalid_field_value", reason(status));
    assertEquals("http.response.status_code must be a whole number", detail(status));
    // Leading zeros do not change a number: still the same nanosecond.
    Row padded = withSchema(parser.parse("{\"dt.rum.session.id\":\"s\",\"start_time\":\"" + zeros + "\"}", "f", "2026-11-26"));
    assertNull(reason(padded));
    assertEquals(1795737598123456789L, (long) padded.getAs(ParsedEvents.START_NS));
    // An exponent of a billion is a short number; as text it stays short.
    Row huge = parse(base + ",\"custom\":1e999999999,\"browser.name\":1e-999999999}");
    assertNull(reason(huge));
    assertEquals("1E+999999999", map(huge, ParsedEvents.ATTRIBUTES).get("custom"));
    assertEquals("1E-999999999", get(huge, "browser.name"));
  }
}
