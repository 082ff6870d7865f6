package org.rumsessions.generate;

import java.io.Serializable;
import java.time.LocalDate;
import org.rumsessions.config.ConfigException;

/**
 * What to generate: the days, the number of sessions per day, the seed and the share of corrupt
 * lines. Everything the output depends on is here, including how the work is cut into slices, so
 * the same arguments give the same data on any cluster.
 */
public record GeneratorSpec(LocalDate from, int days, long sessionsPerDay, long seed, double badFraction, OutputFormat format)
    implements Serializable {
  static final long DAY_NANOS = 86_400_000_000_000L;
  /** Sessions per slice (one task, one file per date folder): about 100 000 events. */
  static final long SESSIONS_PER_SLICE = 2_500;
  /** At least this many slices per day, so that every date folder holds several files. */
  static final int MIN_SLICES_PER_DAY = 4;
  static final int MAX_DAYS = 3_660;
  /** The session index is 32 bits inside the ids. */
  static final long MAX_SESSIONS_PER_DAY = 1L << 31;

  public GeneratorSpec {
    if (from == null) {
      throw new ConfigException("--from is required");
    }
    if (days < 1 || days > MAX_DAYS) {
      throw new ConfigException("--days must be from 1 to " + MAX_DAYS + ", was " + days);
    }
    if (sessionsPerDay < 1 || sessionsPerDay > MAX_SESSIONS_PER_DAY) {
      throw new ConfigException("--sessions-per-day must be from 1 to " + MAX_SESSIONS_PER_DAY + ", was " + sessionsPerDay);
    }
    if (Double.isNaN(badFraction) || badFraction < 0 || badFraction > 0.5) {
      throw new ConfigException("--bad-fraction must be a number from 0 to 0.5, was " + badFraction);
    }
  }

  long firstDay() {
    return from.toEpochDay();
  }

  long lastDay() {
    return firstDay() + days - 1;
  }

  LocalDate to() {
    return from.plusDays(days - 1);
  }

  /** Every event ends before this instant: no time outside the requested days. */
  long endNanos() {
    return (lastDay() + 1) * DAY_NANOS;
  }

  long totalSessions() {
    return sessionsPerDay * days;
  }

  int slices() {
    long bySize = (totalSessions() + SESSIONS_PER_SLICE - 1) / SESSIONS_PER_SLICE;
    long byDays = Math.min(totalSessions(), (long) MIN_SLICES_PER_DAY * days);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(bySize, byDays));
  }

  /** First global session index of a slice; slice {@code i} covers [start(i), start(i + 1)). */
  long sliceStart(int slice) {
    long base = totalSessions() / slices();
    long rest = totalSessions() % slices();
    return slice * base + Math.min(slice, rest);
  }

  /**
   * Probability that an event becomes a corrupt line. Duplicates add lines, so the share among all
   * lines is kept at --bad-fraction: p / (1 + d (1 - p)) = f gives p = f (1 + d) / (1 + d f).
   */
  double corruptProbability() {
    double d = Proportions.DUPLICATE;
    return badFraction * (1 + d) / (1 + d * badFraction);
  }
}
