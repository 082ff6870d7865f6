package org.rumsessions.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the raw events are stored under the input path. */
public enum InputFormat {
  JSON,
  PARQUET,
  DELTA;

  public static InputFormat parse(String key, String value) {
    for (InputFormat f : values()) {
      if (f.name().equalsIgnoreCase(value)) {
        return f;
      }
    }
    throw new ConfigException(
        String.format("%s: '%s' is not a known input format; allowed: %s", key, value, allowed()));
  }

  public static String allowed() {
    return Arrays.stream(values()).map(InputFormat::label).collect(Collectors.joining(", "));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
