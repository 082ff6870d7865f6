package org.rumsessions.generate;

import java.util.Locale;
import org.rumsessions.config.ConfigException;

/** What the generator writes: JSON Lines (the contract's default input) or Parquet. */
enum OutputFormat {
  JSON,
  PARQUET;

  static OutputFormat parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--format '" + value + "' is not supported; use json or parquet");
    }
  }
}
