package org.rumsessions.normalize;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The contract's times: ISO-8601 text with a zone and up to nine fractional digits, or whole
 * epoch nanoseconds (as a JSON number or as text of digits). Everything inside is epoch nanoseconds.
 */
public final class EventTimes {
  public static final String START_TIME = "start_time";
  public static final String END_TIME = "end_time";
  public static final String TIMESTAMP = "timestamp";
  public static final String DURATION = "duration";

  private EventTimes() {}

  /** Epoch nanoseconds of a JSON value, or null when it is no time of the contract. */
  public static Long nanos(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof String s) {
      String t = s.trim();
      if (!t.isEmpty() && isDigits(t)) {
        return wholeNumber(t);
      }
      try {
        Instant i = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
      } catch (DateTimeParseException | ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  /** A whole number of nanoseconds (JSON integer or text of digits), or null. */
  public static Long wholeNanos(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof String s && isDigits(s.trim())) {
      return wholeNumber(s.trim());
    }
    return null;
  }

  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  private static Long wholeNumber(String digits) {
    BigInteger b = new BigInteger(digits);
    return b.bitLength() < 64 ? b.longValue() : null;
  }

  private static boolean isDigits(String t) {
    int start = t.startsWith("-") ? 1 : 0;
    if (t.length() == start) {
      return false;
    }
    for (int i = start; i < t.length(); i++) {
      if (!Character.isDigit(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
