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
      Long fast = commonIso(t);
      if (fast != null) {
        return fast;
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

  /**
   * The one ISO-8601 shape that nearly every record uses, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} with
   * {@code Z} or {@code ±HH:mm}, read without the general formatter (which cost a tenth of all
   * decoding). Null for anything else, which the formatter then decides; so it must only accept
   * what the formatter accepts, and give the same instant.
   */
  static Long commonIso(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
      return null;
    }
    int i = 19;
    long nano = 0;
    if (t.charAt(i) == '.') {
      int first = ++i;
      while (i < n && i - first < 9 && isAsciiDigit(t.charAt(i))) {
        nano = nano * 10 + (t.charAt(i++) - '0');
      }
      int fractionDigits = i - first;
      if (fractionDigits == 0 || (i < n && isAsciiDigit(t.charAt(i)))) {
        return null;
      }
      for (int k = fractionDigits; k < 9; k++) {
        nano *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
      int oh = digits(t, i + 1, 2);
      int om = digits(t, i + 4, 2);
      if (oh < 0 || oh > 18 || om < 0 || om > 59 || (oh == 18 && om > 0)) {
        return null;
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    long epochSecond =
        java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    try {
      return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000_000L), nano);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (!isAsciiDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Epoch nanoseconds of an instant; throws ArithmeticException beyond the years 1677 to 2262. */
  public static long epochNanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }

  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /**
   * The value of text that {@link #isDigits} accepted, or null outside a long. The length decides
   * before any arithmetic: parsing a million digits into a {@code BigInteger} takes minutes, and no
   * time has more than 19 digits.
   */
  private static Long wholeNumber(String digits) {
    int first = digits.startsWith("-") ? 1 : 0;
    int i = first;
    while (i < digits.length() - 1 && Character.digit(digits.charAt(i), 10) == 0) {
      i++;
    }
    if (digits.length() - i > 19) {
      return null;
    }
    BigInteger b = new BigInteger(digits.substring(0, first) + digits.substring(i));
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
