package org.rumsessions.sessionize;

/** The documented values of the open string column {@code end_reason}. */
public final class EndReasons {
  public static final String TIMEOUT = "timeout";
  public static final String MAX_DURATION = "max_duration";
  public static final String SYNTHETIC_EXECUTION_FINISHED = "synthetic_execution_finished";

  private EndReasons() {}
}
