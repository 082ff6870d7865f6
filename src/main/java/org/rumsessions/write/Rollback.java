package org.rumsessions.write;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rumsessions.common.DateRange;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.tables.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes what a run that did not finish committed, table by table, without undoing anyone else's
 * commit: a table whose commits since the run began are all the run's own goes back to the version
 * before its first one (Delta RESTORE); a table that another writer committed to in between gets
 * back only the run's dates, as they were before the run's commit; and a table where another writer
 * has since replaced the same dates is left as it is, since that writer's rows are the newer ones.
 * Then the data files that the run wrote but never committed (a write cut short by a full disk or a
 * kill) are deleted, so that they do not fill the disk for the retry.
 */
public final class Rollback {
  private static final Logger LOG = LoggerFactory.getLogger(Rollback.class);

  /** What happened to one table. */
  public enum State {
    /** The run had not committed to it. */
    UNCHANGED,
    /** Back as before the run. */
    ROLLED_BACK,
    /** Another writer has since replaced the run's dates; left as it is. */
    SUPERSEDED,
    /** The rollback itself failed; the table may still hold the run's rows. */
    FAILED
  }

  public record Outcome(String table, State state, String detail, long orphansDeleted) {}

  private Rollback() {}

  /** The commit tag of a rollback of {@code runId}, so that a repeated rollback knows its own commits. */
  static String tagOf(String runId) {
    return "rum-sessions rollback " + runId;
  }

  /**
   * Rolls back every table the run recorded.
   *
   * @param mayDeleteOrphans false while another run writes the same dates, whose files in flight
   *     look just like this run's leftovers
   */
  public static List<Outcome> undo(DeltaTables tables, RunIntent intent, boolean mayDeleteOrphans) {
    tables.journal().release(intent.runId());
    Map<TableSpec, Long> before = new LinkedHashMap<>();
    intent.versionsBefore().forEach((name, version) -> {
      TableSpec spec = Tables.named(name);
      if (spec != null) {
        before.put(spec, version);
      }
    });
    // Leftover files of every table first: on a full disk they are what leaves no room for the
    // rollback's commits.
    Map<TableSpec, Long> orphans = new LinkedHashMap<>();
    for (var e : before.entrySet()) {
      orphans.put(e.getKey(), mayDeleteOrphans ? deleteOrphans(tables, e.getKey(), intent) : 0L);
    }
    List<Outcome> outcomes = new ArrayList<>();
    tables.tagCommits(tagOf(intent.runId()));
    try {
      for (var e : before.entrySet()) {
        Outcome o = undo(tables, e.getKey(), e.getValue(), intent);
        outcomes.add(new Outcome(o.table(), o.state(), o.detail(), orphans.get(e.getKey())));
      }
    } finally {
      tables.untagCommits();
    }
    return outcomes;
  }

  private static Outcome undo(DeltaTables tables, TableSpec spec, long before, RunIntent intent) {
    try {
      List<DeltaCommits.Commit> commits = DeltaCommits.after(tables.hadoop(), tables.path(spec), before);
      Set<String> mine = Set.of(intent.commitTag(), tagOf(intent.runId()));
      List<DeltaCommits.Commit> ours = commits.stream().filter(c -> isMine(c, mine)).toList();
      return ours.isEmpty()
          ? new Outcome(spec.name(), State.UNCHANGED, "no commit of the run", 0)
          : rollBack(tables, spec, commits, ours, mine, intent);
    } catch (Throwable e) {
      LOG.warn("rolling back {} of run {} failed", spec.name(), intent.runId(), e);
      return new Outcome(spec.name(), State.FAILED, e.toString(), 0);
    }
  }

  /** Untagged commits (other writers', userMetadata null) are never the run's. */
  private static boolean isMine(DeltaCommits.Commit c, Set<String> mine) {
    return c.userMetadata() != null && mine.contains(c.userMetadata());
  }

  private static Outcome rollBack(
      DeltaTables tables, TableSpec spec, List<DeltaCommits.Commit> commits, List<DeltaCommits.Commit> ours, Set<String> mine,
      RunIntent intent) {
    long base = ours.get(0).version() - 1;
    List<DeltaCommits.Commit> since = commits.stream().filter(c -> c.version() > base).toList();
    boolean onlyOurs = since.stream().allMatch(c -> isMine(c, mine));
    DeltaCommits.Commit last = since.get(since.size() - 1);
    if (onlyOurs && tagOf(intent.runId()).equals(last.userMetadata())) {
      return new Outcome(spec.name(), State.ROLLED_BACK, "already rolled back to version " + base, 0);
    }
    if (onlyOurs) {
      tables.restore(spec, base);
      return new Outcome(spec.name(), State.ROLLED_BACK, "restored to version " + base, 0);
    }
    if (spec.partitionColumn() == null) {
      // pipeline_runs: every run appends its own row, so no other commit can stand in for the run's.
      long deleted = tables.deleteRunRows(spec, intent.runId());
      return new Outcome(spec.name(), State.ROLLED_BACK, deleted + " row(s) of the run deleted", 0);
    }
    for (DeltaCommits.Commit c : since) {
      boolean replacesTheRunsRows =
          !isMine(c, mine)
              && c.changesData()
              && (intent.range() == null || c.datesChanged().stream().anyMatch(d -> intent.range().contains(LocalDate.parse(d))));
      if (replacesTheRunsRows) {
        return new Outcome(
            spec.name(), State.SUPERSEDED, "version " + c.version() + " (" + c.operation() + ") by another writer replaced the same dates since", 0);
      }
    }
    tables.replaceRangeAsOf(spec, base, intent.range());
    return new Outcome(spec.name(), State.ROLLED_BACK, "dates " + intent.range() + " put back as at version " + base, 0);
  }

  /**
   * Data files in the run's date partitions, written since the run began, that no commit of the log
   * and no file of the current table refers to: what an interrupted write leaves behind.
   */
  private static long deleteOrphans(DeltaTables tables, TableSpec spec, RunIntent intent) {
    if (spec.partitionColumn() == null || intent.range() == null) {
      return 0;
    }
    Set<String> referenced = new HashSet<>();
    try {
      // Every file any commit in the log ever added, not only the run's: a file removed before the
      // run may still be needed by time travel, and one added just before it by the version the
      // rollback goes back to.
      DeltaCommits.after(tables.hadoop(), tables.path(spec), -1).forEach(c -> referenced.addAll(c.addedFiles()));
      referenced.addAll(tables.fileNames(spec, intent.range()));
    } catch (Throwable e) {
      // Without knowing what is referenced, nothing may be deleted.
      LOG.warn("could not tell the files run {} left in {}: {}", intent.runId(), spec.name(), e.toString());
      return 0;
    }
    Instant since = intent.startedAt().minusSeconds(5);
    long deleted = 0;
    try {
      for (LocalDate d : intent.range().days()) {
        Path dir = new Path(tables.path(spec), spec.partitionColumn() + "=" + d);
        FileSystem fs = dir.getFileSystem(tables.hadoop());
        if (!fs.exists(dir)) {
          continue;
        }
        for (FileStatus f : fs.listStatus(dir)) {
          String name = f.getPath().getName();
          if (f.isFile() && name.endsWith(".parquet") && !referenced.contains(name) && f.getModificationTime() >= since.toEpochMilli()) {
            if (fs.delete(f.getPath(), false)) {
              deleted++;
            }
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("could not delete the files run {} left in {}: {}", intent.runId(), spec.name(), e.toString());
    }
    return deleted;
  }

  /** The outcomes in a sentence: what state the tables are in. */
  public static String describe(List<Outcome> outcomes) {
    List<String> back = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    long orphans = 0;
    for (Outcome o : outcomes) {
      orphans += o.orphansDeleted();
      switch (o.state()) {
        case ROLLED_BACK -> back.add(o.table());
        case SUPERSEDED -> kept.add(o.table() + " (" + o.detail() + ")");
        case FAILED -> failed.add(o.table() + " (" + o.detail() + ")");
        default -> { }
      }
    }
    StringBuilder b = new StringBuilder();
    if (!back.isEmpty()) {
      b.append("rolled back ").append(String.join(", ", back)).append(" to the versions before the run");
    } else if (failed.isEmpty() && kept.isEmpty()) {
      b.append("no table had been changed");
    }
    if (!kept.isEmpty()) {
      b.append(b.length() == 0 ? "" : "; ").append("left as they are, newer than the run: ").append(String.join(", ", kept));
    }
    if (!failed.isEmpty()) {
      b.append(b.length() == 0 ? "" : "; ").append("COULD NOT roll back ").append(String.join(", ", failed))
          .append(", which may hold part of the run");
    }
    if (orphans > 0) {
      b.append("; deleted ").append(orphans).append(" data file(s) the run wrote but never committed");
    }
    return b.toString();
  }

  public static boolean complete(List<Outcome> outcomes) {
    return outcomes.stream().noneMatch(o -> o.state() == State.FAILED);
  }

  /** Whether two runs' dates meet; a run without dates (forget) meets every other. */
  static boolean overlaps(DateRange a, DateRange b) {
    return a == null || b == null || !(a.to().isBefore(b.from()) || b.to().isBefore(a.from()));
  }
}
