package org.rumsessions.cli;

/** Flags that parse but do not fit together. */
class UsageException extends RuntimeException {
  UsageException(String message) {
    super(message);
  }
}
