package org.rumsessions.config;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a YAML configuration file into a {@link ConfigFile}. Unknown keys, wrong types and keys given
 * without a value fail with a {@link ConfigException} that names the key; the values themselves are
 * checked when {@link PipelineConfig#resolve} resolves them.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  /** Keys that hold a section: written without a value, they are an empty section. */
  private static final Set<String> SECTIONS = Set.of("input", "warehouse", "session", "quality", "spark", "spark.conf", "privacy");

  private ConfigLoader() {}

  public static ConfigFile load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("configuration file " + file + " does not exist or is not a file");
    }
    try {
      JsonNode tree = YAML.readTree(file.toFile());
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return ConfigFile.empty();
      }
      rejectEmptyValues(file, tree, "");
      ConfigFile config = YAML.treeToValue(tree, ConfigFile.class);
      return config == null ? ConfigFile.empty() : config;
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
      if (t instanceof JsonParseException p && p.getLocation() != null && p.getLocation().getLineNr() > 0) {
        return Optional.of(new ConfigException(String.format(
            "%s: not valid YAML near line %d, column %d (the line itself is not shown: it may hold a credential)",
            file, p.getLocation().getLineNr(), p.getLocation().getColumnNr())));
      }
    }
    return Optional.empty();
  }

  /**
   * A key written without a value ({@code timeout:}) is a mistake to name, not a default to take
   * silently; a section written so is just empty.
   */
  private static void rejectEmptyValues(Path file, JsonNode node, String prefix) {
    if (!node.isObject()) {
      return;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue().isNull() && !SECTIONS.contains(key)) {
        throw new ConfigException(String.format("%s: key '%s' has no value; give one or remove the key", file, key));
      }
      rejectEmptyValues(file, e.getValue(), key);
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
    if (Collection.class.isAssignableFrom(type)) {
      return "a list of text values";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a mapping of keys to text values";
    }
    return "a mapping (a section with keys)";
  }
}
