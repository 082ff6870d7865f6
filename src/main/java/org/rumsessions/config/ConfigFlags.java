package org.rumsessions.config;

/** The configuration given on the command line; null where a flag was not given. */
public record ConfigFlags(String inputPath, String inputFormat, String warehousePath) {
  public static final ConfigFlags NONE = new ConfigFlags(null, null, null);
}
