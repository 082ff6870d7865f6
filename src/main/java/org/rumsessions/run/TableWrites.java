package org.rumsessions.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rumsessions.common.PausePoints;
import org.rumsessions.common.Termination;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.write.DeltaTables;
import org.rumsessions.write.Journal;
import org.rumsessions.write.Rollback;
import org.rumsessions.write.RunIntent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's table writes, all or none for readers as far as Delta allows. Before the first commit the
 * run records what it is about to change (every table's version, its dates) in the warehouse's
 * {@link Journal}; every commit is tagged with the run's id; on any failure, in-process or not
 * ({@code Error}s such as Hadoop's FSError on a full disk included), the run's commits are rolled
 * back ({@link Rollback}) and the record goes only once that succeeded. A run killed outright leaves
 * the record, and the next command on the warehouse repairs it.
 *
 * <p>The data tables are written side by side, because most of a small table's write is waiting
 * (Delta's log, job set-up), which then overlaps with the one large write instead of following it.
 */
final class TableWrites {
  private static final Logger LOG = LoggerFactory.getLogger(TableWrites.class);

  /** One table's write. Spark's AnalysisException is checked in Java's eyes, hence the throws. */
  interface Write {
    void run() throws Exception;
  }

  private final DeltaTables tables;
  private final Map<TableSpec, Write> writes = new LinkedHashMap<>();
  private Journal.Entry entry;

  TableWrites(DeltaTables tables) {
    this.tables = tables;
  }

  TableWrites add(TableSpec table, Write write) {
    writes.put(table, write);
    return this;
  }

  boolean isEmpty() {
    return writes.isEmpty();
  }

  /**
   * Creates the tables that are missing (empty, as declared), then records the run: the version of
   * each table it will write, {@code also} included (written later, after the side-by-side writes).
   */
  void begin(RunIntent.Draft draft, TableSpec... also) {
    List<TableSpec> all = new ArrayList<>(writes.keySet());
    all.addAll(List.of(also));
    Map<String, Long> versions = new LinkedHashMap<>();
    try {
      // Side by side: creating a table is a few small Delta commits, mostly waiting (2.4 s for the
      // five tables of a new warehouse one after the other).
      sideBySide(all, "rum-sessions-create", t -> tables.ensureCreated(t));
      for (TableSpec t : all) {
        versions.put(t.name(), tables.version(t));
      }
      entry = tables.journal().begin(draft.with(versions));
    } catch (Throwable e) {
      // Spark's AnalysisException is a checked exception that Scala throws unchecked: catch all.
      throw new WriteFailedException(
          "preparing the tables failed: " + e, "No data was written (tables that did not exist may have been created empty).", e);
    }
    Optional<String> holder;
    try {
      holder = tables.journal().claim(entry.intent());
    } catch (Throwable e) {
      entry.finish();
      throw new WriteFailedException("claiming the dates of the run failed: " + e, "No data was written.", e);
    }
    if (holder.isPresent()) {
      entry.finish();
      throw new WriteFailedException(
          "another run, " + holder.get() + ", is writing dates of " + draft.range() + " now; run again once it has ended",
          "No data was written.",
          null);
    }
    tables.tagCommits(entry.intent().commitTag());
  }

  /** Runs every write added, each on its own thread; returns when all succeeded. */
  void run(Instant runStartedAt) {
    try {
      sideBySide(
          new ArrayList<>(writes.keySet()),
          "rum-sessions-write",
          table -> {
            writes.get(table).run();
            LOG.info("write {} done at {} s", table.name(), seconds(runStartedAt));
            PausePoints.at("after-commit:" + table.name());
          });
      // A SIGTERM that came while the last writes were committing (no Spark job left to cancel)
      // still stops the run: it is rolled back, not completed behind the scheduler's back.
      Termination.checkpoint("the run record");
    } catch (Throwable failure) {
      throw fail(failure);
    }
  }

  /** One step on one table; Spark's checked-in-Java exceptions pass through. */
  private interface TableStep {
    void run(TableSpec table) throws Exception;
  }

  /** Runs the step on every table, each on its own thread; throws the first failure (the others suppressed) once all ended. */
  private static void sideBySide(List<TableSpec> all, String threadName, TableStep step) throws Throwable {
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, all.size()),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (TableSpec t : all) {
        running.add(pool.submit(() -> {
          step.run(t);
          return null;
        }));
      }
      Throwable failure = null;
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (ExecutionException | InterruptedException ex) {
          Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Runs one more write of the run (the run record), rolling everything back if it fails. */
  void then(TableSpec table, Write write) {
    PausePoints.at("before-commit:" + table.name());
    try {
      Termination.checkpoint("writing " + table.name());
      write.run();
    } catch (Throwable e) {
      throw fail(e);
    }
  }

  /** The run is complete: its record goes. */
  void finish() {
    tables.untagCommits();
    entry.finish();
  }

  /**
   * Rolls back what the run committed, for a failure of its writes or of a step after them; returns
   * the failure to throw, which says what state the tables are in.
   */
  WriteFailedException fail(Throwable failure) {
    tables.untagCommits();
    entry.close();
    RunIntent intent = entry.intent();
    List<Rollback.Outcome> outcomes;
    try {
      outcomes = Rollback.undo(tables, intent, !tables.othersWriting(intent));
    } catch (Throwable rollbackFailure) {
      failure.addSuppressed(rollbackFailure);
      return new WriteFailedException(
          "writing the tables failed: " + failure,
          "Rolling back failed too (" + rollbackFailure + "); the tables may hold part of this run. The next rum-sessions"
              + " command on this warehouse repairs them once the cause is fixed.",
          failure);
    }
    String state = Rollback.describe(outcomes);
    LOG.warn("run {} failed; {}", intent.runId(), state);
    if (Rollback.complete(outcomes)) {
      tables.journal().remove(intent.runId());
      return new WriteFailedException("writing the tables failed: " + failure, capitalized(state) + ".", failure);
    }
    return new WriteFailedException(
        "writing the tables failed: " + failure,
        capitalized(state) + ". The next rum-sessions command on this warehouse finishes the repair once the cause is fixed"
            + " (for a full disk: free space first).",
        failure);
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String seconds(Instant since) {
    return String.format("%.1f", (Instant.now().toEpochMilli() - since.toEpochMilli()) / 1000.0);
  }
}
