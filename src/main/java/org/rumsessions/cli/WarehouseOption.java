package org.rumsessions.cli;

import picocli.CommandLine.Option;

/** The warehouse override of the commands that work on the tables. */
final class WarehouseOption {
  @Option(names = "--warehouse", paramLabel = "PATH", description = "Folder of the output tables; overrides warehouse.path")
  String warehouse;
}
