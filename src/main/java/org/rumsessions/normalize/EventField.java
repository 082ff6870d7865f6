package org.rumsessions.normalize;

import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * One field of the contract's input, by its semantic-dictionary name. Inside the pipeline the field
 * lives in a flat column whose name replaces the dots by {@code __}, so that no expression has to
 * quote dotted names; the output tables nest it again under its dotted name.
 */
public record EventField(String name, Kind kind, String comment) implements Serializable {

  /** The value types the contract uses for plain fields (times are handled by {@link EventTimes}). */
  public enum Kind {
    STRING(DataTypes.StringType),
    LONG(DataTypes.LongType),
    BOOLEAN(DataTypes.BooleanType);

    private final DataType sparkType;

    Kind(DataType sparkType) {
      this.sparkType = sparkType;
    }

    public DataType sparkType() {
      return sparkType;
    }
  }

  public String column() {
    return columnOf(name);
  }

  public static String columnOf(String dottedName) {
    return dottedName.replace(".", "__");
  }
}
