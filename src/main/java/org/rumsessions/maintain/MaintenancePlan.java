package org.rumsessions.maintain;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What one maintenance run does to every table.
 *
 * @param optimizeSince first date partition to OPTIMIZE; empty means every partition. Z-ordering
 *     in Delta 3.3 rewrites every file of the partitions it covers on every run, so a scheduled
 *     run should cover only the recent dates.
 * @param retention VACUUM retention; empty means the table's own {@code
 *     delta.deletedFileRetentionDuration} (Delta's default: 7 days)
 * @param force allow a retention below {@link #SAFE_RETENTION}
 * @param dryRun change nothing: list what VACUUM would delete and skip OPTIMIZE
 */
public record MaintenancePlan(
    Optional<LocalDate> optimizeSince, Optional<Duration> retention, boolean force, boolean dryRun) {

  /** Delta's default retention. Shorter can delete files a running reader or writer still needs. */
  public static final Duration SAFE_RETENTION = Duration.ofHours(168);

  public MaintenancePlan {
    if (retention.isPresent() && retention.get().isNegative()) {
      throw new IllegalArgumentException("retention must not be negative");
    }
  }

  /** True when the retention is below the safe floor, which Delta itself also refuses by default. */
  public boolean retentionBelowSafe() {
    return retention.isPresent() && retention.get().compareTo(SAFE_RETENTION) < 0;
  }
}
