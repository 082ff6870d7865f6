package org.rumsessions.run;

import static org.rumsessions.tables.PipelineRunsTable.CONFIG;
import static org.rumsessions.tables.PipelineRunsTable.DEFERRED_DATES;
import static org.rumsessions.tables.PipelineRunsTable.DUPLICATES;
import static org.rumsessions.tables.PipelineRunsTable.ENDED_AT;
import static org.rumsessions.tables.PipelineRunsTable.EVENTS_ACCEPTED;
import static org.rumsessions.tables.PipelineRunsTable.EVENTS_AFTER_SESSION_END;
import static org.rumsessions.tables.PipelineRunsTable.EVENTS_IN_OPEN_SESSIONS;
import static org.rumsessions.tables.PipelineRunsTable.EVENTS_SUMMARIZED;
import static org.rumsessions.tables.PipelineRunsTable.EVENTS_WRITTEN;
import static org.rumsessions.tables.PipelineRunsTable.FROM_DATE;
import static org.rumsessions.tables.PipelineRunsTable.HORIZON;
import static org.rumsessions.tables.PipelineRunsTable.INPUT_DATES_READ;
import static org.rumsessions.tables.PipelineRunsTable.REASON;
import static org.rumsessions.tables.PipelineRunsTable.RECORDS_FORGOTTEN;
import static org.rumsessions.tables.PipelineRunsTable.RECORDS_READ;
import static org.rumsessions.tables.PipelineRunsTable.RECORDS_REJECTED;
import static org.rumsessions.tables.PipelineRunsTable.REJECTED_BY_REASON;
import static org.rumsessions.tables.PipelineRunsTable.RUN_ID;
import static org.rumsessions.tables.PipelineRunsTable.SESSIONS_DEFERRED;
import static org.rumsessions.tables.PipelineRunsTable.SESSIONS_WRITTEN;
import static org.rumsessions.tables.PipelineRunsTable.SESSION_PROPERTIES_DROPPED;
import static org.rumsessions.tables.PipelineRunsTable.STARTED_AT;
import static org.rumsessions.tables.PipelineRunsTable.STATUS;
import static org.rumsessions.tables.PipelineRunsTable.SUCCEEDED;
import static org.rumsessions.tables.PipelineRunsTable.TO_DATE;
import static org.rumsessions.tables.PipelineRunsTable.TRIGGER;
import static org.rumsessions.tables.PipelineRunsTable.VERSION;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.common.Version;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.tables.PipelineRunsTable;

/** The {@code pipeline_runs} row of a run. */
public final class RunRecord {
  private RunRecord() {}

  public static Dataset<Row> toRows(SparkSession spark, RunCounts c, PipelineConfig config) {
    Map<String, Object> v = new HashMap<>();
    RunCounts.Run run = c.run();
    v.put(RUN_ID, run.runId());
    v.put(FROM_DATE, Date.valueOf(run.range().from()));
    v.put(TO_DATE, Date.valueOf(run.range().to()));
    v.put(STARTED_AT, Timestamp.from(run.startedAt()));
    v.put(ENDED_AT, Timestamp.from(run.endedAt()));
    v.put(STATUS, SUCCEEDED);
    v.put(HORIZON, run.horizon() == null ? null : Timestamp.from(run.horizon()));
    v.put(INPUT_DATES_READ, dates(run.inputDatesRead()));
    v.put(RECORDS_READ, c.input().recordsRead());
    v.put(RECORDS_REJECTED, c.input().recordsRejected());
    v.put(REJECTED_BY_REASON, scalaMap(c.input().rejectedByReason()));
    v.put(DUPLICATES, c.input().duplicates());
    v.put(RECORDS_FORGOTTEN, c.input().recordsForgotten());
    v.put(EVENTS_ACCEPTED, c.input().eventsAccepted());
    v.put(EVENTS_WRITTEN, c.events().written());
    v.put(EVENTS_SUMMARIZED, c.events().summarized());
    v.put(EVENTS_AFTER_SESSION_END, c.events().afterSessionEnd());
    v.put(EVENTS_IN_OPEN_SESSIONS, c.events().inOpenSessions());
    v.put(SESSIONS_WRITTEN, c.sessions().written());
    v.put(SESSIONS_DEFERRED, c.sessions().deferred());
    v.put(SESSION_PROPERTIES_DROPPED, c.sessions().propertiesDropped());
    v.put(DEFERRED_DATES, dates(c.sessions().deferredDates()));
    v.put(TRIGGER, run.trigger());
    v.put(REASON, run.reason());
    v.put(CONFIG, config.toJson());
    v.put(VERSION, Version.get());
    return spark.createDataFrame(List.of(PipelineRunsTable.SPEC.row(v)), PipelineRunsTable.SPEC.schema());
  }

  private static Date[] dates(List<LocalDate> days) {
    return days.stream().map(Date::valueOf).toArray(Date[]::new);
  }

  @SuppressWarnings("deprecation")
  private static scala.collection.Map<String, Long> scalaMap(Map<String, Long> m) {
    return scala.collection.JavaConverters.mapAsScalaMap(m);
  }
}
