package org.rumsessions.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads a YAML configuration file into {@link PipelineConfig} and validates it once. */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  /** {@code scheme://user:secret@host}; {@code abfss://container@account} has no colon there. */
  private static final Pattern LOGIN_IN_URI = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/@]*:[^/@]*@");

  private static final String CREDENTIALS_NOT_IN_PATHS =
      "holds a login (user:secret@) in its URI; give object store credentials through the environment,"
          + " the instance's role or spark.conf (see conf/s3.example.yaml), never in a path";

  private ConfigLoader() {}

  public static PipelineConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("configuration file " + file + " does not exist or is not a file");
    }
    try {
      PipelineConfig config = YAML.readValue(file.toFile(), PipelineConfig.class);
      return config == null ? PipelineConfig.defaults() : config;
    } catch (UnrecognizedPropertyException e) {
      String parent = path(e.getPath().subList(0, e.getPath().size() - 1));
      String key = parent.isEmpty() ? e.getPropertyName() : parent + "." + e.getPropertyName();
      throw new ConfigException(
          String.format(
              "%s: unknown key '%s'; allowed keys%s: %s",
              file, key, parent.isEmpty() ? "" : " under '" + parent + "'", known(e.getKnownPropertyIds())),
          e);
    } catch (InvalidFormatException e) {
      throw new ConfigException(
          String.format(
              "%s: key '%s' has the value '%s', which is not a valid %s",
              file, path(e.getPath()), e.getValue(), describe(e.getTargetType())),
          e);
    } catch (MismatchedInputException e) {
      throw new ConfigException(
          String.format(
              "%s: key '%s' must be %s", file, path(e.getPath()), describe(e.getTargetType())),
          e);
    } catch (JsonMappingException e) {
      throw syntaxError(file, e).orElseGet(() -> new ConfigException(
          String.format("%s: key '%s' is invalid: %s", file, path(e.getPath()), e.getOriginalMessage()), e));
    } catch (IOException e) {
      throw syntaxError(file, e).orElseGet(() -> new ConfigException(file + ": not a readable YAML file: " + e.getMessage(), e));
    }
  }

  /**
   * A YAML syntax error by line and column only: the parser's own message quotes the offending
   * line, which may hold a credential under spark.conf.
   */
  private static Optional<ConfigException> syntaxError(Path file, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        return Optional.of(new ConfigException(String.format(
            "%s: not valid YAML at line %d, column %d: %s",
            file, m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1, m.getProblem())));
      }
    }
    return Optional.empty();
  }

  /** Checks every value; throws {@link ConfigException} naming the first bad key and what is allowed. */
  public static PipelineConfig validate(PipelineConfig c) {
    require(c.input().path() != null && !c.input().path().isBlank(), "input.path", "a path to the raw events is required");
    c.input().inputFormat();
    require(
        c.warehouse().path() != null && !c.warehouse().path().isBlank(),
        "warehouse.path",
        "a path for the output tables is required");
    // Said without the path: Hadoop logs a file system URI as it is, secret and all.
    require(!LOGIN_IN_URI.matcher(c.input().path()).find(), "input.path", CREDENTIALS_NOT_IN_PATHS);
    require(!LOGIN_IN_URI.matcher(c.warehouse().path()).find(), "warehouse.path", CREDENTIALS_NOT_IN_PATHS);
    Duration timeout = c.session().timeoutDuration();
    Duration max = c.session().maxDurationValue();
    require(!timeout.isNegative() && !timeout.isZero(), "session.timeout", "must be greater than zero, was " + c.session().timeout());
    require(!max.isNegative() && !max.isZero(), "session.max-duration", "must be greater than zero, was " + c.session().maxDuration());
    require(
        timeout.compareTo(Duration.ofDays(7)) <= 0 && max.compareTo(Duration.ofDays(7)) <= 0,
        "session.timeout / session.max-duration",
        "at most 7 days each, since a run reads that much input around its dates");
    require(
        c.session().maxProperties() >= 0 && c.session().maxProperties() <= 10_000,
        "session.max-properties",
        "must be a whole number from 0 to 10000, was " + c.session().maxProperties());
    double f = c.quality().maxRejectedFraction();
    require(
        !Double.isNaN(f) && f >= 0.0 && f <= 1.0,
        "quality.max-rejected-fraction",
        "must be a number from 0 to 1, was " + f);
    require(c.spark().master() != null && !c.spark().master().isBlank(), "spark.master", "must not be empty");
    for (Map.Entry<String, String> e : c.spark().conf().entrySet()) {
      require(e.getValue() != null, "spark.conf." + e.getKey(), "needs a value");
    }
    return c;
  }

  private static void require(boolean ok, String key, String what) {
    if (!ok) {
      throw new ConfigException(key + ": " + what);
    }
  }

  private static String path(Collection<JsonMappingException.Reference> refs) {
    return refs.stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  private static String known(Collection<Object> ids) {
    return ids == null ? "(none)" : new TreeSet<>(ids.stream().map(String::valueOf).toList()).toString();
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "value of another type";
    }
    if (type == Integer.class || type == int.class || type == Long.class) {
      return "a whole number";
    }
    if (type == Double.class || type == double.class) {
      return "a number";
    }
    if (type == String.class) {
      return "a text value";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping of keys to text values";
    }
    return "a mapping (a section with keys)";
  }
}
