package org.rumsessions.normalize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import org.apache.spark.sql.Column;

/** Column expressions over the pipeline's flat event columns, shared by every stage. */
public final class Columns {
  private Columns() {}

  /** The flat column of a semantic-dictionary field. */
  public static Column field(String dottedName) {
    return col(EventField.columnOf(dottedName));
  }

  /** A timestamp (microsecond precision, as Spark keeps them) from epoch nanoseconds. */
  public static Column timestampFromNanos(String nanosColumn) {
    return expr("timestamp_micros(div(" + nanosColumn + ", 1000))");
  }

  /**
   * The UTC calendar date of epoch nanoseconds, independent of the session time zone. Integer
   * arithmetic only: {@code /} divides as doubles, which dates an event a few nanoseconds before
   * midnight on the next day. The floor division is written so that no step can overflow: near
   * the first representable nanosecond (1677-09-21) {@code ns - pmod(ns, day)} did, which wrapped
   * without ANSI mode and failed with it.
   */
  public static Column utcDateFromNanos(String nanosColumn) {
    String ns = "(" + nanosColumn + ")";
    String day = "86400000000000";
    return expr("date_from_unix_date(cast(div(" + ns + ", " + day + ") - if(" + ns + " % " + day + " < 0, 1, 0) as int))");
  }
}
