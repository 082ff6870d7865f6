package org.rumsessions.generate;

import java.util.Arrays;

/**
 * One event being written: its fields, flags and times, plus how it is spelled (key style, time
 * encoding). A generator fills one instance per session and reuses it for every event, so that an
 * event costs no objects beyond its output line.
 */
final class EventRecord {
  /** How the dotted names are written. */
  enum KeyStyle {
    /** {@code "dt.rum.session.id": ...}, the way exports look. */
    FLAT,
    /** {@code {"dt": {"rum": {"session": {"id": ...}}}}}. */
    NESTED,
    /** Per top-level name one of: flat, nested, or nested one level ({@code {"dt": {"rum.session.id": ...}}}). */
    MIXED
  }

  static final long NO_TIME = Long.MIN_VALUE;

  Key[] keys = new Key[48];
  String[] text = new String[48];
  long[] number = new long[48];
  int size;

  int flags;
  /** Write every flag, false ones too; otherwise only the true ones (both occur in exports). */
  boolean explicitFlags;

  long start;
  long end;
  boolean writeEnd;
  boolean writeDuration;
  boolean writeTimestamp;
  /** 0: epoch-nanosecond integers; 3..9: ISO-8601 text with that many fractional digits. */
  int fractionDigits;
  int offsetMinutes;
  /** Zero offset written as {@code +00:00} instead of {@code Z}. */
  boolean numericZeroOffset;

  KeyStyle keyStyle = KeyStyle.FLAT;
  /** For {@link KeyStyle#MIXED}: two bits per top-level name choose its spelling. */
  long mixBits;

  /** A corrupt start_time written as this text instead of the real one; null when none. */
  String badStart;
  boolean omitStart;

  void begin() {
    Arrays.fill(text, 0, size, null);
    size = 0;
    flags = 0;
    explicitFlags = false;
    start = NO_TIME;
    end = NO_TIME;
    writeEnd = false;
    writeDuration = false;
    writeTimestamp = false;
    fractionDigits = 0;
    offsetMinutes = 0;
    numericZeroOffset = false;
    keyStyle = KeyStyle.FLAT;
    mixBits = 0;
    badStart = null;
    omitStart = false;
  }

  void put(Key k, String v) {
    if (v != null) {
      int i = slot(k);
      text[i] = v;
    }
  }

  void put(Key k, long v) {
    int i = slot(k);
    number[i] = v;
  }

  void put(Key k, boolean v) {
    put(k, v ? 1L : 0L);
  }

  void flag(int f) {
    flags |= f;
  }

  void times(long startNanos, long endNanos) {
    this.start = startNanos;
    this.end = endNanos;
  }

  void remove(Key k) {
    for (int i = 0; i < size; i++) {
      if (keys[i] == k) {
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        System.arraycopy(text, i + 1, text, i, size - i - 1);
        System.arraycopy(number, i + 1, number, i, size - i - 1);
        size--;
        text[size] = null;
        return;
      }
    }
  }

  /**
   * Cuts the times to the precision they are written with, so that the text, the duration and a
   * reader's view of the event agree to the nanosecond.
   */
  void truncateTimesToPrecision() {
    long unit = fractionDigits == 0 ? 1 : POWERS[9 - fractionDigits];
    start = Math.floorDiv(start, unit) * unit;
    end = Math.floorDiv(end, unit) * unit;
  }

  private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

  /** The entry of {@code k}, added when missing; may replace the arrays, so callers index after it. */
  private int slot(Key k) {
    for (int i = 0; i < size; i++) {
      if (keys[i] == k) {
        return i;
      }
    }
    if (size == keys.length) {
      int n = size * 2;
      keys = Arrays.copyOf(keys, n);
      text = Arrays.copyOf(text, n);
      number = Arrays.copyOf(number, n);
    }
    keys[size] = k;
    return size++;
  }
}
