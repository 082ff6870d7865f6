package org.rumsessions.run;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.rumsessions.common.DateRange;

/**
 * What a run did, as recorded in {@code pipeline_runs}: the run itself, and the counts of its input,
 * its events and its sessions. The counts add up: records read = rejected + duplicates + events
 * accepted + forgotten (over the range's input partitions), and events written = summarized + after
 * session end + in open sessions (over the range's user_events partitions).
 */
public record RunCounts(Run run, InputCounts input, EventCounts events, SessionCounts sessions) {

  /**
   * Which run: its id, range, timing, data horizon, and why it ran; what it read, and what under the
   * input it did not read (paths below the input root, sorted).
   */
  public record Run(
      String runId,
      DateRange range,
      Instant startedAt,
      Instant endedAt,
      Instant horizon,
      List<LocalDate> inputDatesRead,
      String trigger,
      String reason,
      List<String> ignoredFiles) {}

  /** How many names of ignored files the report shows. */
  static final int IGNORED_SHOWN = 5;

  /**
   * The records of the range's input partitions, each exactly one of: rejected, duplicate, accepted,
   * or forgotten (a record of someone forget erased, dropped whatever else it was).
   */
  public record InputCounts(
      long recordsRead, long recordsRejected, Map<String, Long> rejectedByReason, long duplicates, long recordsForgotten) {
    public InputCounts(long recordsRead, long recordsRejected, Map<String, Long> rejectedByReason, long duplicates) {
      this(recordsRead, recordsRejected, rejectedByReason, duplicates, 0);
    }

    public long eventsAccepted() {
      return recordsRead - recordsRejected - duplicates - recordsForgotten;
    }

    public double rejectedFraction() {
      return recordsRead == 0 ? 0.0 : (double) recordsRejected / recordsRead;
    }
  }

  /** The user_events rows written for the range, by summary status. */
  public record EventCounts(long summarized, long afterSessionEnd, long inOpenSessions) {
    public long written() {
      return summarized + afterSessionEnd + inOpenSessions;
    }
  }

  /** The range's sessions: closed and written, or still open and deferred. */
  public record SessionCounts(long written, long deferred, long propertiesDropped, List<LocalDate> deferredDates) {}

  /** The short report a run prints at its end; counts only, never a record's values. */
  public String report() {
    StringBuilder b = new StringBuilder();
    double seconds = (run.endedAt().toEpochMilli() - run.startedAt().toEpochMilli()) / 1000.0;
    b.append(String.format("rum-sessions sessionize %s  run %s%n", run.range(), run.runId()));
    if (run.reason() != null) {
      b.append(String.format("  why                     %s%n", run.reason()));
    }
    b.append(String.format("  input partitions read   %s%n", run.inputDatesRead()));
    List<String> ignored = run.ignoredFiles();
    b.append(String.format("  ignored files           %,d", ignored.size()));
    if (!ignored.isEmpty()) {
      // Paths below the input root: what a producer wrote where, or named so, that no run reads.
      b.append("  (");
      b.append(String.join(", ", ignored.subList(0, Math.min(IGNORED_SHOWN, ignored.size()))));
      b.append(ignored.size() > IGNORED_SHOWN ? ", ...)" : ")");
    }
    b.append(System.lineSeparator());
    b.append(String.format("  data horizon            %s%n", run.horizon() == null ? "(no events)" : run.horizon()));
    b.append(String.format("  records read            %,d%n", input.recordsRead()));
    b.append(String.format("  rejected                %,d", input.recordsRejected()));
    if (!input.rejectedByReason().isEmpty()) {
      b.append("  (");
      b.append(String.join(", ", input.rejectedByReason().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
      b.append(")");
    }
    b.append(System.lineSeparator());
    b.append(String.format("  duplicates              %,d%n", input.duplicates()));
    if (input.recordsForgotten() > 0) {
      b.append(String.format("  forgotten               %,d  (records of people forget erased, dropped)%n", input.recordsForgotten()));
    }
    b.append(String.format("  events accepted         %,d%n", input.eventsAccepted()));
    b.append(String.format(
        "  events written          %,d  (summarized %,d, after session end %,d, in open sessions %,d)%n",
        events.written(), events.summarized(), events.afterSessionEnd(), events.inOpenSessions()));
    b.append(String.format("  sessions written        %,d%n", sessions.written()));
    b.append(String.format("  sessions deferred       %,d%n", sessions.deferred()));
    if (sessions.propertiesDropped() > 0) {
      b.append(String.format("  properties dropped      %,d%n", sessions.propertiesDropped()));
    }
    b.append(String.format("  seconds                 %.1f%n", seconds));
    return b.toString();
  }
}
