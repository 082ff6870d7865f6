package org.rumsessions.tables;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rumsessions.sessionize.SessionSummaries;

/** Shapes session summaries ({@link SessionSummaries#summarize}) into {@code user_sessions} rows: the closed ones. */
public final class SessionRows {
  private SessionRows() {}

  public static Dataset<Row> of(Dataset<Row> summaries) {
    return UserSessionsTable.SPEC.shape(summaries.where(col(SessionSummaries.CLOSED)));
  }
}
