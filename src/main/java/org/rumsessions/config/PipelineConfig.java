package org.rumsessions.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole configuration file, as bound by Jackson. Missing sections and keys take the defaults
 * documented in the README; {@link ConfigLoader} validates every value once, before any work starts.
 */
public record PipelineConfig(
    @JsonProperty("input") Input input,
    @JsonProperty("warehouse") Warehouse warehouse,
    @JsonProperty("session") Session session,
    @JsonProperty("quality") Quality quality,
    @JsonProperty("spark") Spark spark) {

  public PipelineConfig {
    input = input == null ? new Input(null, null) : input;
    warehouse = warehouse == null ? new Warehouse(null) : warehouse;
    session = session == null ? new Session(null, null, null) : session;
    quality = quality == null ? new Quality(null) : quality;
    spark = spark == null ? new Spark(null, null, null) : spark;
  }

  public static PipelineConfig defaults() {
    return new PipelineConfig(null, null, null, null, null);
  }

  public PipelineConfig withInputPath(String path) {
    return new PipelineConfig(new Input(path, input.format()), warehouse, session, quality, spark);
  }

  public PipelineConfig withInputFormat(String format) {
    return new PipelineConfig(new Input(input.path(), format), warehouse, session, quality, spark);
  }

  public PipelineConfig withWarehousePath(String path) {
    return new PipelineConfig(input, new Warehouse(path), session, quality, spark);
  }

  /** Where raw events are read from. */
  public record Input(@JsonProperty("path") String path, @JsonProperty("format") String format) {
    public Input {
      format = format == null ? "json" : format;
    }

    public InputFormat inputFormat() {
      return InputFormat.parse("input.format", format);
    }
  }

  /** Where the four Delta tables live: one folder per table under {@code path}. */
  public record Warehouse(@JsonProperty("path") String path) {}

  /** The session rules of the data model (section 2). */
  public record Session(
      @JsonProperty("timeout") String timeout,
      @JsonProperty("max-duration") String maxDuration,
      @JsonProperty("max-properties") Integer maxProperties) {
    public Session {
      timeout = timeout == null ? "30m" : timeout;
      maxDuration = maxDuration == null ? "6h" : maxDuration;
      maxProperties = maxProperties == null ? 100 : maxProperties;
    }

    public Duration timeoutDuration() {
      return Durations.parse("session.timeout", timeout);
    }

    public Duration maxDurationValue() {
      return Durations.parse("session.max-duration", maxDuration);
    }
  }

  /** When a run refuses to write because its input is too broken. */
  public record Quality(@JsonProperty("max-rejected-fraction") Double maxRejectedFraction) {
    public Quality {
      maxRejectedFraction = maxRejectedFraction == null ? 0.05 : maxRejectedFraction;
    }
  }

  /**
   * Spark settings. {@code master} applies only when the job is not started by spark-submit (which
   * sets its own); {@code conf} entries are passed to the session builder as they are.
   */
  public record Spark(
      @JsonProperty("master") String master,
      @JsonProperty("app-name") String appName,
      @JsonProperty("conf") Map<String, String> conf) {
    public Spark {
      master = master == null ? "local[*]" : master;
      appName = appName == null ? "rum-sessions" : appName;
      conf = conf == null ? Map.of() : Map.copyOf(new LinkedHashMap<>(conf));
    }
  }
}
