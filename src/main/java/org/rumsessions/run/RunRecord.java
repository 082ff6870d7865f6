package org.rumsessions.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rumsessions.common.Version;
import org.rumsessions.config.PipelineConfig;

/** The {@code pipeline_runs} row of a run. */
public final class RunRecord {
  public static final StructType SCHEMA =
      new StructType()
          .add("run_id", DataTypes.StringType)
          .add("from_date", DataTypes.DateType)
          .add("to_date", DataTypes.DateType)
          .add("started_at", DataTypes.TimestampType)
          .add("ended_at", DataTypes.TimestampType)
          .add("status", DataTypes.StringType)
          .add("horizon", DataTypes.TimestampType)
          .add("input_dates_read", DataTypes.createArrayType(DataTypes.DateType))
          .add("records_read", DataTypes.LongType)
          .add("records_rejected", DataTypes.LongType)
          .add("rejected_by_reason", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
          .add("duplicates", DataTypes.LongType)
          .add("events_accepted", DataTypes.LongType)
          .add("events_written", DataTypes.LongType)
          .add("events_summarized", DataTypes.LongType)
          .add("events_after_session_end", DataTypes.LongType)
          .add("events_in_open_sessions", DataTypes.LongType)
          .add("sessions_written", DataTypes.LongType)
          .add("sessions_deferred", DataTypes.LongType)
          .add("session_properties_dropped", DataTypes.LongType)
          .add("deferred_dates", DataTypes.createArrayType(DataTypes.DateType))
          .add("trigger", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("config", DataTypes.StringType)
          .add("version", DataTypes.StringType);

  private static final ObjectMapper JSON = new ObjectMapper();

  private RunRecord() {}

  public static Dataset<Row> toRows(SparkSession spark, RunCounts c, PipelineConfig config) {
    Row row =
        RowFactory.create(
            c.runId(),
            c.range().from(),
            c.range().to(),
            c.startedAt(),
            c.endedAt(),
            "succeeded",
            c.horizon(),
            c.inputDatesRead().toArray(),
            c.recordsRead(),
            c.recordsRejected(),
            scalaMap(c.rejectedByReason()),
            c.duplicates(),
            c.eventsAccepted(),
            c.eventsWritten(),
            c.eventsSummarized(),
            c.eventsAfterSessionEnd(),
            c.eventsInOpenSessions(),
            c.sessionsWritten(),
            c.sessionsDeferred(),
            c.sessionPropertiesDropped(),
            c.deferredDates().toArray(),
            c.trigger(),
            c.reason(),
            configJson(config),
            Version.get());
    return spark.createDataFrame(List.of(row), SCHEMA);
  }

  /** The effective configuration, with Spark settings that may hold credentials left out. */
  static String configJson(PipelineConfig config) {
    ObjectNode node = JSON.valueToTree(config);
    ObjectNode conf = (ObjectNode) node.path("spark").path("conf");
    if (!conf.isMissingNode()) {
      List<String> secret =
          iterable(conf).stream()
              .filter(k -> k.toLowerCase(Locale.ROOT).matches(".*(secret|password|token|key|credential).*"))
              .toList();
      secret.forEach(k -> conf.put(k, "(redacted)"));
    }
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> iterable(ObjectNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @SuppressWarnings("deprecation")
  private static scala.collection.Map<String, Long> scalaMap(java.util.Map<String, Long> m) {
    return scala.collection.JavaConverters.mapAsScalaMap(m);
  }
}
