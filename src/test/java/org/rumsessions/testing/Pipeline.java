package org.rumsessions.testing;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.ClientIpMode;
import org.rumsessions.config.InputFormat;
import org.rumsessions.config.UserTagMode;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.common.DateRange;
import org.rumsessions.run.ForgetJob;
import org.rumsessions.run.RunCounts;
import org.rumsessions.run.SessionizeJob;

/** Runs the real job against a temporary input and warehouse, and reads the tables back. */
public final class Pipeline {
  private final SparkSession spark;
  private PipelineConfig config;

  public Pipeline(SparkSession spark, Path input, Path warehouse) {
    this.spark = spark;
    this.config = PipelineConfig.of(input.toString(), warehouse.toString());
  }

  public Pipeline with(PipelineConfig.Session session) {
    config = config.with(session);
    return this;
  }

  /** The default session rules with at most {@code n} session property names. */
  public Pipeline maxProperties(int n) {
    return with(PipelineConfig.Session.DEFAULT.withMaxProperties(n));
  }

  public Pipeline with(PipelineConfig.Quality quality) {
    config = config.with(quality);
    return this;
  }

  public Pipeline with(PipelineConfig.Privacy privacy) {
    config = config.with(privacy);
    return this;
  }

  /** Client IPs and user tags as received: for tests whose point is a clear value. */
  public Pipeline keepPersonalData() {
    return with(new PipelineConfig.Privacy(ClientIpMode.KEEP, UserTagMode.KEEP, PipelineConfig.DEFAULT_USER_TAG_KEY_ENV, List.of(), null, List.of()));
  }

  public ForgetJob.Result forget(ForgetJob.By by, String value, boolean dryRun) {
    return new ForgetJob(spark, config).run(new ForgetJob.Person(by, value), dryRun);
  }

  public Pipeline format(String format) {
    config = config.with(new PipelineConfig.Input(config.input().path(), InputFormat.parse("input.format", format)));
    return this;
  }

  public PipelineConfig config() {
    return config;
  }

  public RunCounts run(String from, String to) {
    return run(from, to, null);
  }

  public RunCounts run(String from, String to, String horizon) {
    return new SessionizeJob(spark, config)
        .run(
            new DateRange(LocalDate.parse(from), LocalDate.parse(to)),
            Optional.ofNullable(horizon).map(Instant::parse));
  }

  public Dataset<Row> table(String name) {
    return spark.read().format("delta").load(Path.of(config.warehouse().path(), name).toString());
  }

  /** user_sessions by session id, as a map from id to row. */
  public Map<String, Row> sessions() {
    Map<String, Row> m = new java.util.TreeMap<>();
    for (Row r : table("user_sessions").collectAsList()) {
      m.put(r.<Row>getAs("dt").<Row>getAs("rum").<Row>getAs("session").getAs("id"), r);
    }
    return m;
  }

  /** Rows of a query over the warehouse tables registered by name. */
  public List<Row> sql(String query) {
    org.rumsessions.sql.Warehouse.register(spark, config.warehouse().path());
    return spark.sql(query).collectAsList();
  }
}
