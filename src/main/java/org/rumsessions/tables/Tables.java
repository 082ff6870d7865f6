package org.rumsessions.tables;

import java.util.List;

/** The warehouse's six tables. */
public final class Tables {
  public static final TableSpec SESSIONS = UserSessionsTable.SPEC;
  public static final TableSpec EVENTS = UserEventsTable.SPEC;
  public static final TableSpec REJECTED = RejectedEventsTable.SPEC;
  public static final TableSpec RUNS = PipelineRunsTable.SPEC;
  public static final TableSpec FILES = InputFilesTable.SPEC;
  public static final TableSpec FORGOTTEN = ForgottenTable.SPEC;

  /** Every table, in the order the README lists them. */
  public static final List<TableSpec> ALL = List.of(SESSIONS, EVENTS, REJECTED, RUNS, FILES, FORGOTTEN);

  private Tables() {}

  /** The table of that name, or null. */
  public static TableSpec named(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }
}
