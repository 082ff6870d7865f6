package org.rumsessions.run;

/** A table write failed; the tables written before it in the same run were restored. */
public class WriteFailedException extends RuntimeException {
  public WriteFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
