package org.rumsessions.cli;

import java.nio.file.Path;
import org.rumsessions.config.ConfigLoader;
import org.rumsessions.config.PipelineConfig;
import picocli.CommandLine.Option;

/** The options every command shares: the configuration file and the warehouse override. */
final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      defaultValue = "conf/local.yaml",
      description = "YAML configuration file (default: ${DEFAULT-VALUE})")
  Path config;

  @Option(names = "--warehouse", paramLabel = "PATH", description = "Folder of the output tables; overrides warehouse.path")
  String warehouse;

  PipelineConfig load() {
    PipelineConfig c = ConfigLoader.load(config);
    if (warehouse != null) {
      c = c.withWarehousePath(warehouse);
    }
    return c;
  }
}
