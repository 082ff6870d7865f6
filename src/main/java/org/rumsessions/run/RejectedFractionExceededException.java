package org.rumsessions.run;

/** Too many records of the range were rejected; the run wrote nothing. */
public class RejectedFractionExceededException extends RuntimeException {
  public RejectedFractionExceededException(String message) {
    super(message);
  }
}
