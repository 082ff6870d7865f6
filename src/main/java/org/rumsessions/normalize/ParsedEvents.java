package org.rumsessions.normalize;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.rumsessions.read.RawRecords;

/**
 * The flat schema that {@link EventParser} produces: one row per raw record, accepted or not. The
 * raw text is kept only for rejected records; every record keeps its hash.
 */
public final class ParsedEvents {
  public static final String RAW = "raw_record";
  public static final String REJECT_REASON = "reason";
  public static final String REJECT_DETAIL = "detail";
  public static final String RECORD_HASH = "record_hash";
  public static final String START_NS = "start_ns";
  public static final String END_NS = "end_ns";
  public static final String TIMESTAMP_NS = "timestamp_ns";
  public static final String DURATION = "duration";
  public static final String DEDUP_KEY = "dedup_key";
  public static final String SESSION_PROPERTIES = "session_properties";
  public static final String ATTRIBUTES = "attributes";

  /** Whether the record belongs to a session id or user tag that forget erased (see {@link Tombstones}). */
  public static final String FORGOTTEN = "forgotten";

  static final int RAW_INDEX = 2;
  static final int REJECT_REASON_INDEX = 3;

  static final int RECORD_HASH_INDEX = 5;
  static final int START_NS_INDEX = 6;
  static final int DEDUP_KEY_INDEX = 10;
  static final int SESSION_PROPERTIES_INDEX = 11;
  static final int ATTRIBUTES_INDEX = 12;

  /** Index of the first plain field; the plain fields follow in {@link EventFields#ALL} order. */
  static final int FIRST_FIELD = 13;

  public static final StructType SCHEMA = schema();

  /** The last column, after the plain fields. */
  static final int FORGOTTEN_INDEX = SCHEMA.size() - 1;

  private ParsedEvents() {}

  static {
    int[] expected = {RAW_INDEX, REJECT_REASON_INDEX, RECORD_HASH_INDEX, START_NS_INDEX, DEDUP_KEY_INDEX, SESSION_PROPERTIES_INDEX, ATTRIBUTES_INDEX, FORGOTTEN_INDEX};
    String[] names = {RAW, REJECT_REASON, RECORD_HASH, START_NS, DEDUP_KEY, SESSION_PROPERTIES, ATTRIBUTES, FORGOTTEN};
    for (int i = 0; i < names.length; i++) {
      if (SCHEMA.fieldIndex(names[i]) != expected[i]) {
        throw new IllegalStateException("ParsedEvents: " + names[i] + " is not at index " + expected[i]);
      }
    }
  }

  private static StructType schema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(RawRecords.INPUT_DATE, DataTypes.DateType, true));
    f.add(DataTypes.createStructField(RawRecords.SOURCE_FILE, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(RAW, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(REJECT_REASON, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(REJECT_DETAIL, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(RECORD_HASH, DataTypes.LongType, false));
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
    f.add(DataTypes.createStructField(FORGOTTEN, DataTypes.BooleanType, true));
    return DataTypes.createStructType(f);
  }
}
