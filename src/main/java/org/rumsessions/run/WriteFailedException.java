package org.rumsessions.run;

/** Writing a run's tables failed; {@link #tablesState()} says, truthfully, what state they are in. */
public class WriteFailedException extends RuntimeException {
  private final String tablesState;

  public WriteFailedException(String message, String tablesState, Throwable cause) {
    super(message, cause);
    this.tablesState = tablesState;
  }

  public String tablesState() {
    return tablesState;
  }
}
