package org.rumsessions.write;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.rumsessions.common.Version;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.Tables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first thing every command does on a warehouse: find the runs that did not finish (killed,
 * stopped, out of disk) and repair them before anything reads or writes the tables. A run that
 * recorded itself in {@code pipeline_runs} had finished and only lost its record; any other is rolled
 * back ({@link Rollback}) and gets a {@code pipeline_runs} row with status {@code rolled_back}.
 */
public final class Recovery {
  private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

  private Recovery() {}

  /** A repair that could not be completed: the message says which tables and what to do. */
  public static final class RepairFailedException extends RuntimeException {
    public RepairFailedException(String message) {
      super(message);
    }
  }

  /**
   * Repairs every run of the warehouse that did not finish and is not alive; returns one line per
   * run repaired, for the command's report.
   *
   * @throws RepairFailedException when a table could not be rolled back; the run's record stays,
   *     so that the next command tries again
   */
  public static List<String> repair(DeltaTables tables, String byCommand) {
    Journal journal = tables.journal();
    List<Journal.Found> found = journal.list();
    List<String> lines = new ArrayList<>();
    if (found.isEmpty()) {
      return lines;
    }
    Instant now = Instant.now();
    List<Journal.Found> alive = found.stream().filter(f -> Journal.isAlive(f, now)).toList();
    for (Journal.Found f : found) {
      if (alive.contains(f)) {
        continue;
      }
      RunIntent run = f.intent();
      String which = describe(run);
      String status = recordedStatus(tables, run.runId());
      if (status != null) {
        journal.remove(run.runId());
        lines.add("repair: " + which + " had finished (" + status + "); removed the record it left");
        continue;
      }
      boolean othersOnSameDates = alive.stream().anyMatch(a -> Rollback.overlaps(a.intent().range(), run.range()));
      List<Rollback.Outcome> outcomes = Rollback.undo(tables, run, !othersOnSameDates);
      String state = Rollback.describe(outcomes);
      if (!Rollback.complete(outcomes)) {
        throw new RepairFailedException(
            which + " did not finish and could not be fully rolled back: " + state
                + ". Nothing else was done; fix the cause and run any rum-sessions command on this warehouse again");
      }
      record(tables, run, "did not finish (process " + run.pid() + " on " + run.host() + " ended); rolled back by " + byCommand + " at "
          + now + ": " + state);
      journal.remove(run.runId());
      String line = "repair: " + which + " did not finish; " + state;
      LOG.warn(line);
      lines.add(line);
    }
    return lines;
  }

  /** The run's status in pipeline_runs, or null when it has no row there. */
  private static String recordedStatus(DeltaTables tables, String runId) {
    if (!tables.exists(Tables.RUNS)) {
      return null;
    }
    List<Row> rows =
        tables.read(Tables.RUNS).where(col(PipelineRunsTable.RUN_ID).equalTo(lit(runId))).select(col(PipelineRunsTable.STATUS)).collectAsList();
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }

  private static void record(DeltaTables tables, RunIntent run, String reason) {
    Map<String, Object> v = new HashMap<>();
    v.put(PipelineRunsTable.RUN_ID, run.runId());
    if (run.range() != null) {
      v.put(PipelineRunsTable.FROM_DATE, Date.valueOf(run.range().from()));
      v.put(PipelineRunsTable.TO_DATE, Date.valueOf(run.range().to()));
    }
    v.put(PipelineRunsTable.STARTED_AT, Timestamp.from(run.startedAt()));
    v.put(PipelineRunsTable.ENDED_AT, Timestamp.from(Instant.now()));
    v.put(PipelineRunsTable.STATUS, PipelineRunsTable.ROLLED_BACK);
    v.put(PipelineRunsTable.TRIGGER, run.trigger());
    v.put(PipelineRunsTable.REASON, reason);
    v.put(PipelineRunsTable.VERSION, Version.get());
    tables.tagCommits(Rollback.tagOf(run.runId()));
    try {
      tables.append(
          Tables.RUNS, tables.spark().createDataFrame(List.of(PipelineRunsTable.SPEC.row(v)), PipelineRunsTable.SPEC.schema()));
    } finally {
      tables.untagCommits();
    }
  }

  private static String describe(RunIntent run) {
    return "run " + run.runId() + " (" + run.command() + (run.range() == null ? "" : " " + run.range()) + ", started "
        + run.startedAt() + ")";
  }
}
