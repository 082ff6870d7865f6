package org.rumsessions.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rumsessions.config.ConfigFile;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.ConfigLoader;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import picocli.CommandLine.Option;

/** The configuration file option every command shares. */
final class ConfigOptions {
  static final Path DEFAULT_FILE = Path.of("conf/local.yaml");

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML configuration file (default: " + "conf/local.yaml" + ")")
  Path config;

  /** The resolved configuration: the flags over the file over the defaults. */
  PipelineConfig resolve(ConfigFlags flags, Needs needs) {
    return PipelineConfig.resolve(ConfigLoader.load(config == null ? DEFAULT_FILE : config), flags, needs);
  }

  /**
   * As {@link #resolve}, for a command that can run without a file: when no --config is given and
   * the default file is not there, the defaults alone.
   */
  PipelineConfig resolveIfPresent(ConfigFlags flags, Needs needs) {
    if (config == null && !Files.isRegularFile(DEFAULT_FILE)) {
      return PipelineConfig.resolve(ConfigFile.empty(), flags, needs);
    }
    return resolve(flags, needs);
  }
}
