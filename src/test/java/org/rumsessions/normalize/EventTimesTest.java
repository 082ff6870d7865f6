package org.rumsessions.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reading of ISO times must agree with java.time's ISO formatter on every input. */
class EventTimesTest {

  /** What the general formatter makes of the text, in epoch nanoseconds; null when it rejects it. */
  private static Long byFormatter(String t) {
    try {
      var i = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-11-24T14:07:20.052583616Z",
        "2026-11-24T14:07:20Z",
        "2026-11-24T14:07:20.1Z",
        "2026-11-24T23:59:59.999999999+02:00",
        "2026-11-24T00:00:00-05:30",
        "2024-02-29T12:00:00Z",
        "1900-01-01T00:00:00Z",
        "1970-01-01T00:00:00.000000001-00:00",
        "2026-11-24T14:07:20+18:00",
        "2026-11-24T14:07:20-18:00"
      })
  void theCommonShapeIsReadAsTheFormatterReadsIt(String t) {
    assertNotNull(EventTimes.commonIso(t), t);
    assertEquals(byFormatter(t), EventTimes.commonIso(t), t);
    assertEquals(byFormatter(t), EventTimes.nanos(t), t);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2023-02-29T12:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-11-31T00:00:00Z",
        "2026-11-24T24:00:00Z",
        "2026-11-24T14:60:00Z",
        "2026-11-24T14:07:60Z",
        "2026-11-24T14:07:20.Z",
        "2026-11-24T14:07:20.1234567891Z",
        "2026-11-24T14:07:20+19:00",
        "2026-11-24T14:07:20+18:01",
        "2026-11-24T14:07:20",
        "2026-11-24 14:07:20Z",
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z"
      })
  void whatTheFastPathDoesNotTakeIsLeftToTheFormatter(String t) {
    Long fast = EventTimes.commonIso(t);
    if (fast != null) {
      assertEquals(byFormatter(t), fast, t);
    }
    assertEquals(byFormatter(t), EventTimes.nanos(t), t);
  }

  @Test
  void randomTimesAndMutationsAgreeWithTheFormatter() {
    Random random = new Random(7);
    String chars = "0123456789-+:.TZz ";
    List<String> cases = new ArrayList<>();
    for (int k = 0; k < 20_000; k++) {
      String t =
          String.format(
              "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
              random.nextInt(3000), random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(62),
              random.nextInt(62), random.nextBoolean() ? "." + Long.toString(Math.abs(random.nextLong())).substring(0, 1 + random.nextInt(10)) : "",
              switch (random.nextInt(3)) {
                case 0 -> "Z";
                case 1 -> String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-", random.nextInt(20), random.nextInt(62));
                default -> "";
              });
      cases.add(t);
      StringBuilder mutated = new StringBuilder(t);
      mutated.setCharAt(random.nextInt(t.length()), chars.charAt(random.nextInt(chars.length())));
      cases.add(mutated.toString());
    }
    int fastTaken = 0;
    for (String t : cases) {
      Long fast = EventTimes.commonIso(t);
      if (fast != null) {
        fastTaken++;
        assertEquals(byFormatter(t), fast, t);
      }
      assertEquals(byFormatter(t), EventTimes.nanos(t.trim()), t);
    }
    // The comparison means something only if the fast path took a good share of the cases.
    assertEquals(true, fastTaken > 1_000, "fast path took " + fastTaken);
  }

  @Test
  void digitsAreNanosecondsWhateverTheirLength() {
    assertEquals(1795737598123456789L, EventTimes.nanos("1795737598123456789"));
    assertEquals(-5L, EventTimes.nanos("-5"));
    assertEquals(123L, EventTimes.wholeNanos("123"));
    assertNull(EventTimes.nanos("99999999999999999999"));
  }
}
