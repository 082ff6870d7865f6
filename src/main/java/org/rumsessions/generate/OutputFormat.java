package org.rumsessions.generate;

import java.util.Locale;
import org.rumsessions.config.ConfigException;

/** What the generator writes: JSON Lines (the contract's default input) or Parquet. */
public enum OutputFormat {
  JSON,
  PARQUET;

  public static OutputFormat parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--format '" + value + "' is not supported; use json or parquet");
    }
  }
}
