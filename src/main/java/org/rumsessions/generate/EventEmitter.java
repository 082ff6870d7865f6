package org.rumsessions.generate;

import java.util.SplittableRandom;

/**
 * Turns generated events into delivered lines: chooses each record's spelling (keys, times,
 * end/duration), corrupts a share of them, moves events near midnight into the next day's folder,
 * and repeats some as retried duplicates. The generator decides what happened; this class decides
 * how it arrives.
 */
final class EventEmitter {
  private static final long MINUTE = 60_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final int[] OFFSETS_MINUTES = {60, 120, -300, -240, 330, 540, -180, 600};
  private static final String[] BAD_STARTS = {
    "", "not-a-time", "2026-02-30T10:00:00Z", "2026-11-26 10:00:00", "2026-11-26T10:00:00", "1764201598.123", "yesterday"
  };

  private final GeneratorSpec spec;
  private final RecordSink sink;
  private final double corruptProbability;
  final GenerateStats stats = new GenerateStats();

  EventEmitter(GeneratorSpec spec, RecordSink sink) {
    this.spec = spec;
    this.sink = sink;
    this.corruptProbability = spec.corruptProbability();
  }

  /** Returns false, writing nothing, for an event that would end after the last requested day. */
  boolean emit(EventRecord r, SplittableRandom rng) {
    if (r.end >= spec.endNanos()) {
      return false;
    }
    spell(r, rng);
    long day = Math.floorDiv(r.start, GeneratorSpec.DAY_NANOS);
    long folder = day;
    long untilMidnight = (day + 1) * GeneratorSpec.DAY_NANOS - r.start;
    if (untilMidnight <= Proportions.LATE_WINDOW_MINUTES * MINUTE && day < spec.lastDay() && rng.nextDouble() < Proportions.LATE_TO_NEXT_DAY) {
      folder = day + 1;
      stats.late++;
    }
    if (rng.nextDouble() < corruptProbability) {
      corrupt(r, rng, folder);
      stats.corrupt++;
      return true;
    }
    sink.write(r, folder, RecordSink.REGULAR, 1.0);
    stats.events++;
    if (rng.nextDouble() < Proportions.DUPLICATE) {
      double where = rng.nextDouble();
      if (where < Proportions.DUPLICATE_SAME_FILE) {
        sink.repeatLast(folder, RecordSink.REGULAR);
      } else if (where >= Proportions.DUPLICATE_SAME_FILE + Proportions.DUPLICATE_RETRY_FILE && folder < spec.lastDay()) {
        sink.repeatLast(folder + 1, RecordSink.RETRY);
        stats.late++;
      } else {
        sink.repeatLast(folder, RecordSink.RETRY);
      }
      stats.duplicates++;
    }
    return true;
  }

  private void spell(EventRecord r, SplittableRandom rng) {
    double k = rng.nextDouble();
    if (k < Proportions.KEYS_FLAT) {
      r.keyStyle = EventRecord.KeyStyle.FLAT;
    } else if (k < Proportions.KEYS_FLAT + Proportions.KEYS_NESTED) {
      r.keyStyle = EventRecord.KeyStyle.NESTED;
    } else {
      r.keyStyle = EventRecord.KeyStyle.MIXED;
      r.mixBits = rng.nextLong();
    }
    r.explicitFlags = rng.nextDouble() < Proportions.EXPLICIT_FLAGS;
    if (rng.nextDouble() < Proportions.TIMES_AS_NANOS) {
      r.fractionDigits = 0;
    } else {
      r.fractionDigits = Proportions.FRACTION_DIGITS[rng.nextInt(Proportions.FRACTION_DIGITS.length)];
      double z = rng.nextDouble();
      if (z < Proportions.NON_UTC_OFFSET) {
        r.offsetMinutes = OFFSETS_MINUTES[rng.nextInt(OFFSETS_MINUTES.length)];
      } else if (z < Proportions.NON_UTC_OFFSET + Proportions.NUMERIC_ZERO_OFFSET) {
        r.numericZeroOffset = true;
      }
    }
    r.truncateTimesToPrecision();
    double e = rng.nextDouble();
    r.writeEnd = e < Proportions.END_AND_DURATION + Proportions.END_ONLY;
    r.writeDuration = e < Proportions.END_AND_DURATION
        || (e >= Proportions.END_AND_DURATION + Proportions.END_ONLY
            && e < Proportions.END_AND_DURATION + Proportions.END_ONLY + Proportions.DURATION_ONLY);
    r.writeTimestamp = rng.nextDouble() < Proportions.TIMESTAMP;
  }

  private void corrupt(EventRecord r, SplittableRandom rng, long folder) {
    double kind = rng.nextDouble();
    if (kind < Proportions.CORRUPT_TRUNCATED && sink.canTruncate()) {
      // Cut anywhere before the closing brace: never valid JSON.
      sink.write(r, folder, RecordSink.REGULAR, 0.1 + 0.85 * rng.nextDouble());
      return;
    }
    double other = rng.nextDouble() * (1 - Proportions.CORRUPT_TRUNCATED);
    if (other < Proportions.CORRUPT_NO_SESSION_ID) {
      r.remove(Keys.SESSION_ID);
    } else if (other < Proportions.CORRUPT_NO_SESSION_ID + Proportions.CORRUPT_BAD_START) {
      int bad = rng.nextInt(BAD_STARTS.length + 1);
      if (bad == BAD_STARTS.length) {
        r.omitStart = true;
      } else {
        r.badStart = BAD_STARTS[bad];
      }
    } else {
      // Whole seconds keep the end representable at the record's precision.
      r.end = r.start - (1 + rng.nextInt(60)) * SECOND;
      r.writeEnd = true;
      r.writeDuration = false;
    }
    sink.write(r, folder, RecordSink.REGULAR, 1.0);
  }
}
