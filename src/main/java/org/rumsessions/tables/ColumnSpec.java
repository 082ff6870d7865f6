package org.rumsessions.tables;

import org.apache.spark.sql.types.DataType;
import org.rumsessions.normalize.EventField;

/**
 * One leaf column of an output table: its dotted name (nested in the table as written, so that
 * {@code dt.rum.session.id} is a field of struct {@code dt}), its Spark type and its comment.
 */
public record ColumnSpec(String name, DataType type, String comment) {
  public ColumnSpec {
    if (comment == null || comment.isBlank()) {
      throw new IllegalArgumentException("column " + name + " needs a comment");
    }
  }

  /**
   * The flat name a stage computes this column under before the table nests it: the dotted name
   * with {@code __} for each dot, as the pipeline's event columns are named.
   */
  public String flatName() {
    return EventField.columnOf(name);
  }
}
