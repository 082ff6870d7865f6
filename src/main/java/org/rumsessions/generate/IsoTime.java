package org.rumsessions.generate;

/**
 * Writes epoch nanoseconds as ISO-8601 text with a chosen number of fractional digits and a zone
 * offset, straight into a builder: the generator formats two or three times per event, and
 * java.time's formatter would dominate the cost of a line.
 */
final class IsoTime {
  private IsoTime() {}

  static void append(StringBuilder sb, long epochNanos, int fractionDigits, int offsetMinutes, boolean numericZeroOffset) {
    long local = Math.floorDiv(epochNanos, 1_000_000_000L) + offsetMinutes * 60L;
    int nano = (int) Math.floorMod(epochNanos, 1_000_000_000L);
    long days = Math.floorDiv(local, 86_400L);
    int secondOfDay = (int) Math.floorMod(local, 86_400L);
    appendDate(sb, days);
    sb.append('T');
    pad(sb, secondOfDay / 3600, 2);
    sb.append(':');
    pad(sb, secondOfDay / 60 % 60, 2);
    sb.append(':');
    pad(sb, secondOfDay % 60, 2);
    if (fractionDigits > 0) {
      sb.append('.');
      int digits = Math.min(fractionDigits, 9);
      int value = nano;
      for (int i = digits; i < 9; i++) {
        value /= 10;
      }
      pad(sb, value, digits);
    }
    if (offsetMinutes == 0 && !numericZeroOffset) {
      sb.append('Z');
    } else {
      int abs = Math.abs(offsetMinutes);
      sb.append(offsetMinutes < 0 ? '-' : '+');
      pad(sb, abs / 60, 2);
      sb.append(':');
      pad(sb, abs % 60, 2);
    }
  }

  /** Proleptic Gregorian date of an epoch day (H. Hinnant's civil_from_days). */
  private static void appendDate(StringBuilder sb, long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    pad(sb, (int) year, 4);
    sb.append('-');
    pad(sb, month, 2);
    sb.append('-');
    pad(sb, day, 2);
  }

  private static void pad(StringBuilder sb, int value, int width) {
    for (int limit = 10, i = 1; i < width; i++, limit *= 10) {
      if (value < limit) {
        sb.append('0');
      }
    }
    sb.append(value);
  }
}
