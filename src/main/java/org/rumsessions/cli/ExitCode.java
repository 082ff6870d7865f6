package org.rumsessions.cli;

/** The exit codes every command ends with, for schedulers (README, "Exit codes"). */
final class ExitCode {
  static final int OK = 0;
  /** The run failed, or an input partition is missing. */
  static final int FAILED = 1;
  /** A usage or configuration error. */
  static final int USAGE = 2;
  /** Too many rejected records. */
  static final int TOO_MANY_REJECTED = 3;
  /** Stopped by SIGTERM (128 + 15, as a shell reports a process ended by it). */
  static final int STOPPED = 143;

  private ExitCode() {}
}
