package org.rumsessions.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The configuration file as written, bound by Jackson: every key optional, null when the file does
 * not give it. {@link PipelineConfig#resolve} turns it, with the command-line flags and the
 * defaults, into the one configuration a command runs with.
 */
public record ConfigFile(
    @JsonProperty("input") Input input,
    @JsonProperty("warehouse") Warehouse warehouse,
    @JsonProperty("session") Session session,
    @JsonProperty("quality") Quality quality,
    @JsonProperty("spark") Spark spark,
    @JsonProperty("privacy") Privacy privacy) {

  public ConfigFile {
    input = input == null ? new Input(null, null) : input;
    warehouse = warehouse == null ? new Warehouse(null) : warehouse;
    session = session == null ? new Session(null, null, null) : session;
    quality = quality == null ? new Quality(null) : quality;
    spark = spark == null ? new Spark(null, null, null) : spark;
    privacy = privacy == null ? new Privacy(null, null, null, null) : privacy;
  }

  /** A file that gives nothing: every value from the flags or the defaults. */
  public static ConfigFile empty() {
    return new ConfigFile(null, null, null, null, null, null);
  }

  public record Input(@JsonProperty("path") String path, @JsonProperty("format") String format) {}

  public record Warehouse(@JsonProperty("path") String path) {}

  public record Session(
      @JsonProperty("timeout") String timeout,
      @JsonProperty("max-duration") String maxDuration,
      @JsonProperty("max-properties") Integer maxProperties) {}

  public record Quality(@JsonProperty("max-rejected-fraction") Double maxRejectedFraction) {}

  public record Spark(
      @JsonProperty("master") String master,
      @JsonProperty("app-name") String appName,
      @JsonProperty("conf") Map<String, String> conf) {}

  /** The names of environment variables, never a key itself: keys stay out of files. */
  public record Privacy(
      @JsonProperty("client-ip") String clientIp,
      @JsonProperty("user-tag") String userTag,
      @JsonProperty("user-tag-key-env") String userTagKeyEnv,
      @JsonProperty("user-tag-previous-key-envs") List<String> userTagPreviousKeyEnvs) {}
}
