package org.rumsessions.run;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.rumsessions.common.DateRange;

/**
 * What a run did, as recorded in {@code pipeline_runs}. The counts add up: records_read =
 * records_rejected + duplicates + events_accepted (over the range's input partitions), and
 * events_written = events_summarized + events_after_session_end + events_in_open_sessions (over the
 * range's user_events partitions).
 */
public record RunCounts(
    String runId,
    DateRange range,
    Instant startedAt,
    Instant endedAt,
    Instant horizon,
    List<LocalDate> inputDatesRead,
    long recordsRead,
    long recordsRejected,
    Map<String, Long> rejectedByReason,
    long duplicates,
    long eventsAccepted,
    long eventsWritten,
    long eventsSummarized,
    long eventsAfterSessionEnd,
    long eventsInOpenSessions,
    long sessionsWritten,
    long sessionsDeferred,
    long sessionPropertiesDropped,
    List<LocalDate> deferredDates,
    String trigger,
    String reason,
    List<String> ignoredFiles) {

  /** How many names of ignored files the report shows. */
  static final int IGNORED_SHOWN = 5;

  public double rejectedFraction() {
    return recordsRead == 0 ? 0.0 : (double) recordsRejected / recordsRead;
  }

  /** The short report a run prints at its end; counts only, never a record's values. */
  public String report() {
    StringBuilder b = new StringBuilder();
    double seconds = (endedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0;
    b.append(String.format("rum-sessions sessionize %s  run %s%n", range, runId));
    if (reason != null) {
      b.append(String.format("  why                     %s%n", reason));
    }
    b.append(String.format("  input partitions read   %s%n", inputDatesRead));
    b.append(String.format("  ignored files           %,d", ignoredFiles.size()));
    if (!ignoredFiles.isEmpty()) {
      // Paths below the input root: what a producer wrote where, or named so, that no run reads.
      b.append("  (");
      b.append(String.join(", ", ignoredFiles.subList(0, Math.min(IGNORED_SHOWN, ignoredFiles.size()))));
      b.append(ignoredFiles.size() > IGNORED_SHOWN ? ", ...)" : ")");
    }
    b.append(System.lineSeparator());
    b.append(String.format("  data horizon            %s%n", horizon == null ? "(no events)" : horizon));
    b.append(String.format("  records read            %,d%n", recordsRead));
    b.append(String.format("  rejected                %,d", recordsRejected));
    if (!rejectedByReason.isEmpty()) {
      b.append("  (");
      b.append(String.join(", ", rejectedByReason.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
      b.append(")");
    }
    b.append(System.lineSeparator());
    b.append(String.format("  duplicates              %,d%n", duplicates));
    b.append(String.format("  events accepted         %,d%n", eventsAccepted));
    b.append(String.format(
        "  events written          %,d  (summarized %,d, after session end %,d, in open sessions %,d)%n",
        eventsWritten, eventsSummarized, eventsAfterSessionEnd, eventsInOpenSessions));
    b.append(String.format("  sessions written        %,d%n", sessionsWritten));
    b.append(String.format("  sessions deferred       %,d%n", sessionsDeferred));
    if (sessionPropertiesDropped > 0) {
      b.append(String.format("  properties dropped      %,d%n", sessionPropertiesDropped));
    }
    b.append(String.format("  seconds                 %.1f%n", seconds));
    return b.toString();
  }
}
