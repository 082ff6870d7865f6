package org.rumsessions.generate;

import java.util.SplittableRandom;

/** When sessions start within their day (UTC): a daily curve with a night low and an evening high. */
final class StartTimes {
  /**
   * Relative traffic per UTC hour. Users are spread over the Americas, Europe and Asia, so the curve
   * is flat-ish: lowest at 02-05 UTC, highest from 13 to 20 UTC when Europe and the Americas overlap.
   */
  private static final Weighted<Integer> HOURS = hours(3, 2, 2, 2, 2, 3, 4, 5, 6, 7, 7, 7, 8, 9, 9, 9, 9, 9, 9, 9, 8, 7, 5, 4);

  private static final long HOUR_NANOS = 3_600_000_000_000L;
  private static final long LATE_EVENING_NANOS = 45 * 60_000_000_000L;

  private StartTimes() {}

  /** A start in the day, in epoch nanoseconds; at nanosecond resolution, as RUM agents report. */
  static long draw(SplittableRandom rng, long epochDay) {
    long dayStart = epochDay * GeneratorSpec.DAY_NANOS;
    if (rng.nextDouble() < Proportions.LATE_EVENING_START) {
      return dayStart + GeneratorSpec.DAY_NANOS - 1 - rng.nextLong(LATE_EVENING_NANOS);
    }
    return dayStart + HOURS.pick(rng) * HOUR_NANOS + rng.nextLong(HOUR_NANOS);
  }

  private static Weighted<Integer> hours(int... weights) {
    Weighted<Integer> w = Weighted.of();
    for (int h = 0; h < weights.length; h++) {
      w.add(weights[h], h);
    }
    return w;
  }
}
