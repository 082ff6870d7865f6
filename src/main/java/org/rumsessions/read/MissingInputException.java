package org.rumsessions.read;

/** An input partition that the run's range needs is not there. */
public class MissingInputException extends RuntimeException {
  public MissingInputException(String message) {
    super(message);
  }
}
