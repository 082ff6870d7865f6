package org.rumsessions.normalize;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The flat schema that {@link EventParser} produces: one row per raw record, accepted or not. */
public final class ParsedEvents {
  public static final String INPUT_DATE = "input_date";
  public static final String SOURCE_FILE = "source_file";
  public static final String RAW = "raw_record";
  public static final String REJECT_REASON = "reason";
  public static final String REJECT_DETAIL = "detail";
  public static final String START_NS = "start_ns";
  public static final String END_NS = "end_ns";
  public static final String TIMESTAMP_NS = "timestamp_ns";
  public static final String DURATION = "duration";
  public static final String DEDUP_KEY = "dedup_key";
  public static final String SESSION_PROPERTIES = "session_properties";
  public static final String ATTRIBUTES = "attributes";

  /** Index of the first plain field; the plain fields follow in {@link EventFields#ALL} order. */
  static final int FIRST_FIELD = 12;

  public static final StructType SCHEMA = schema();

  private ParsedEvents() {}

  private static StructType schema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(INPUT_DATE, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(RAW, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(REJECT_REASON, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(REJECT_DETAIL, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(START_NS, DataTypes.LongType, true));
    f.add(DataTypes.createStructField(END_NS, DataTypes.LongType, true));
    f.add(DataTypes.createStructField(TIMESTAMP_NS, DataTypes.LongType, true));
    f.add(DataTypes.createStructField(DURATION, DataTypes.LongType, true));
    f.add(DataTypes.createStructField(DEDUP_KEY, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(SESSION_PROPERTIES, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true), true));
    f.add(DataTypes.createStructField(ATTRIBUTES, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true), true));
    for (EventField field : EventFields.ALL) {
      f.add(DataTypes.createStructField(field.column(), field.kind().sparkType(), true));
    }
    return DataTypes.createStructType(f);
  }
}
