package org.rumsessions.write;

import static org.apache.spark.sql.functions.col;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rumsessions.common.DateRange;
import org.rumsessions.tables.InputFilesTable;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.Tables;
import org.rumsessions.testing.SparkTestBase;

/**
 * Rolling back a run that did not finish undoes its own commits and nobody else's: a run's commits
 * are made here for real (tagged as a run does), another writer commits beside them, and the run
 * is then rolled back as the next command would.
 */
class RollbackTest extends SparkTestBase {
  private static final DateRange D26 = DateRange.of(LocalDate.parse("2026-11-26"));
  private static final DateRange D27 = DateRange.of(LocalDate.parse("2026-11-27"));
  private DeltaTables tables;

  @BeforeEach
  void freshWarehouse() throws Exception {
    Path wh = Files.createTempDirectory("rollback");
    tables = new DeltaTables(spark(), wh.toString());
    tables.ensureCreated(Tables.FILES);
    tables.replaceRange(Tables.FILES, files("a", D26), D26);
    tables.replaceRange(Tables.FILES, files("a", D27), D27);
  }

  @Test
  void aTableOnlyTheRunWroteGoesBackWhole() {
    RunIntent run = intent("r1", D26);
    commitAsRun(run, () -> tables.replaceRange(Tables.FILES, files("run", D26), D26));
    List<Rollback.Outcome> o = Rollback.undo(tables, run, true);
    Assertions.assertEquals(Rollback.State.ROLLED_BACK, o.get(0).state(), o.toString());
    Assertions.assertTrue(o.get(0).detail().startsWith("restored"), o.toString());
    Assertions.assertEquals(List.of("a-2026-11-26", "a-2026-11-27"), paths());
  }

  @Test
  void anotherWritersCommitOnOtherDatesStays() {
    RunIntent run = intent("r2", D26);
    commitAsRun(run, () -> tables.replaceRange(Tables.FILES, files("run", D26), D26));
    tables.replaceRange(Tables.FILES, files("other", D27), D27);
    List<Rollback.Outcome> o = Rollback.undo(tables, run, true);
    Assertions.assertEquals(Rollback.State.ROLLED_BACK, o.get(0).state(), o.toString());
    Assertions.assertEquals(List.of("a-2026-11-26", "other-2026-11-27"), paths(), "the run's date back, the other writer's date kept");
  }

  @Test
  void anotherWritersNewerRowsForTheSameDatesAreLeftAlone() {
    RunIntent run = intent("r3", D26);
    commitAsRun(run, () -> tables.replaceRange(Tables.FILES, files("run", D26), D26));
    tables.replaceRange(Tables.FILES, files("newer", D26), D26);
    List<Rollback.Outcome> o = Rollback.undo(tables, run, true);
    Assertions.assertEquals(Rollback.State.SUPERSEDED, o.get(0).state(), o.toString());
    Assertions.assertEquals(List.of("a-2026-11-27", "newer-2026-11-26"), paths());
    Assertions.assertTrue(Rollback.describe(o).contains("left as they are"), Rollback.describe(o));
  }

  @Test
  void aCommitBeforeTheRunsFirstIsNotUndone() {
    RunIntent run = intent("r4", D26);
    // Between the run's record and its first commit, another writer replaced the 27th.
    tables.replaceRange(Tables.FILES, files("early", D27), D27);
    commitAsRun(run, () -> tables.replaceRange(Tables.FILES, files("run", D26), D26));
    Rollback.undo(tables, run, true);
    Assertions.assertEquals(List.of("a-2026-11-26", "early-2026-11-27"), paths());
  }

  @Test
  void rollingBackTwiceChangesNothingMore() {
    RunIntent run = intent("r5", D26);
    commitAsRun(run, () -> tables.replaceRange(Tables.FILES, files("run", D26), D26));
    Rollback.undo(tables, run, true);
    long version = tables.version(Tables.FILES);
    List<Rollback.Outcome> again = Rollback.undo(tables, run, true);
    Assertions.assertEquals(version, tables.version(Tables.FILES), "no second restore");
    Assertions.assertEquals(Rollback.State.ROLLED_BACK, again.get(0).state());
  }

  @Test
  void theRunsRowInAnAppendOnlyTableIsDeletedNotTheOthers() {
    tables.ensureCreated(Tables.RUNS);
    RunIntent run = new RunIntent.Draft("r6", "sessionize", D26, "range", Instant.now())
        .with(Map.of(Tables.RUNS.name(), tables.version(Tables.RUNS)));
    commitAsRun(run, () -> tables.append(Tables.RUNS, runRow("r6")));
    tables.append(Tables.RUNS, runRow("someone-else"));
    Rollback.undo(tables, run, true);
    List<String> ids = tables.read(Tables.RUNS).select(col(PipelineRunsTable.RUN_ID)).as(Encoders.STRING()).collectAsList();
    Assertions.assertEquals(List.of("someone-else"), ids);
  }

  private RunIntent intent(String runId, DateRange range) {
    return new RunIntent.Draft(runId, "sessionize", range, "range", Instant.now())
        .with(Map.of(Tables.FILES.name(), tables.version(Tables.FILES)));
  }

  private void commitAsRun(RunIntent run, Runnable commit) {
    tables.tagCommits(run.commitTag());
    try {
      commit.run();
    } finally {
      tables.untagCommits();
    }
  }

  /** One input_files row per date of the range, its path telling who wrote it. */
  private Dataset<Row> files(String writer, DateRange range) {
    List<Row> rows = new ArrayList<>();
    for (LocalDate d : range.days()) {
      rows.add(InputFilesTable.SPEC.row(Map.of(
          InputFilesTable.PATH, writer + "-" + d,
          InputFilesTable.SIZE, 1L,
          InputFilesTable.MODIFICATION_TIME, new java.sql.Timestamp(0),
          PipelineRunsTable.RUN_ID, writer,
          DateRange.DATE, java.sql.Date.valueOf(d))));
    }
    return spark().createDataFrame(rows, InputFilesTable.SPEC.schema());
  }

  private Dataset<Row> runRow(String runId) {
    return spark().createDataFrame(
        List.of(PipelineRunsTable.SPEC.row(Map.of(PipelineRunsTable.RUN_ID, runId, PipelineRunsTable.STATUS, PipelineRunsTable.SUCCEEDED))),
        PipelineRunsTable.SPEC.schema());
  }

  private List<String> paths() {
    List<String> p = new ArrayList<>(tables.read(Tables.FILES).select(col(InputFilesTable.PATH)).as(Encoders.STRING()).collectAsList());
    p.sort(null);
    return p;
  }
}
