package org.rumsessions.common;

import org.apache.spark.sql.SparkSession;

/**
 * A request to stop, from SIGTERM (what schedulers send on a timeout). The command stops its Spark
 * jobs, rolls back what it had committed, and ends with a plain last line, before the JVM exits.
 */
public final class Termination {
  private static volatile boolean requested;

  private Termination() {}

  /** Marks the request and cancels the running Spark jobs, so that the command's work fails fast. */
  public static void request() {
    requested = true;
    scala.Option<SparkSession> spark = SparkSession.getDefaultSession();
    if (spark.isDefined()) {
      spark.get().sparkContext().cancelAllJobs();
    }
  }

  public static boolean requested() {
    return requested;
  }

  /** Throws when a stop was requested: called between the steps of a run. */
  public static void checkpoint(String before) {
    if (requested) {
      throw new TerminatedException("stopped by SIGTERM before " + before);
    }
  }

  /** The command was asked to stop. */
  public static final class TerminatedException extends RuntimeException {
    public TerminatedException(String message) {
      super(message);
    }
  }
}
