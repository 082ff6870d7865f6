package org.rumsessions.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Records as Parquet rows: one column per dotted name (the flat spelling), times as text so that
 * both ISO-8601 and epoch-nanosecond values survive, session properties in one map column, and the
 * folder date as the partition column. Parquet cannot hold a truncated record; the other corruptions
 * (no session id, bad start time, end before start) are kept.
 */
final class ParquetRows implements RecordSink {
  static final String DATE = "date";
  private static final int TIMES = 4;
  private static final int FIRST_KEY = TIMES;
  private static final int PROPERTIES = FIRST_KEY + Keys.ALL.size();
  private static final int FOLDER = PROPERTIES + 1;

  static final StructType SCHEMA = schema();

  private final List<Row> rows = new ArrayList<>();
  private final StringBuilder sb = new StringBuilder(40);
  private Object[] last;

  @Override
  public boolean canTruncate() {
    return false;
  }

  @Override
  public void write(EventRecord r, long folderDay, int batch, double keepFraction) {
    Object[] v = new Object[FOLDER + 1];
    v[0] = r.badStart != null ? r.badStart : r.omitStart ? null : time(r, r.start);
    v[1] = r.writeEnd ? time(r, r.end) : null;
    v[2] = r.writeDuration ? Long.valueOf(r.end - r.start) : null;
    v[3] = r.writeTimestamp ? time(r, r.start) : null;
    TreeMap<String, String> properties = null;
    for (int i = 0; i < r.size; i++) {
      Key k = r.keys[i];
      if (k.sessionProperty) {
        properties = properties == null ? new TreeMap<>() : properties;
        properties.put(k.propertyName(), r.text[i]);
      } else {
        v[FIRST_KEY + k.column] = switch (k.kind) {
          case STRING -> r.text[i];
          case LONG -> Long.valueOf(r.number[i]);
          case BOOLEAN -> Boolean.valueOf(r.number[i] != 0);
        };
      }
    }
    for (int b = 0; b < Flags.COUNT; b++) {
      boolean set = (r.flags & (1 << b)) != 0;
      if (set || r.explicitFlags) {
        v[FIRST_KEY + Keys.FLAGS[b].column] = set;
      }
    }
    v[PROPERTIES] = properties == null ? null : scalaMap(properties);
    v[FOLDER] = LocalDate.ofEpochDay(folderDay).toString();
    last = v;
    rows.add(RowFactory.create(v));
  }

  @Override
  public void repeatLast(long folderDay, int batch) {
    Object[] v = Arrays.copyOf(last, last.length);
    v[FOLDER] = LocalDate.ofEpochDay(folderDay).toString();
    rows.add(RowFactory.create(v));
  }

  /** Takes the rows written since the last call. */
  List<Row> drain() {
    List<Row> out = new ArrayList<>(rows);
    rows.clear();
    return out;
  }

  /** Spark's row encoder takes Scala maps only. */
  @SuppressWarnings("deprecation")
  private static scala.collection.Map<String, String> scalaMap(java.util.Map<String, String> m) {
    return scala.collection.JavaConverters.mapAsScalaMap(m);
  }

  private String time(EventRecord r, long nanos) {
    sb.setLength(0);
    JsonLine.appendTime(sb, r, nanos, false);
    return sb.toString();
  }

  private static StructType schema() {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField(JsonLine.START_TIME.name, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(JsonLine.END_TIME.name, DataTypes.StringType, true));
    f.add(DataTypes.createStructField(JsonLine.DURATION.name, DataTypes.LongType, true));
    f.add(DataTypes.createStructField(JsonLine.TIMESTAMP.name, DataTypes.StringType, true));
    for (Key k : Keys.ALL) {
      f.add(DataTypes.createStructField(k.name, type(k.kind), true));
    }
    f.add(DataTypes.createStructField("session_properties", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true), true));
    f.add(DataTypes.createStructField(DATE, DataTypes.StringType, false));
    return DataTypes.createStructType(f);
  }

  private static DataType type(Key.Kind kind) {
    return switch (kind) {
      case STRING -> DataTypes.StringType;
      case LONG -> DataTypes.LongType;
      case BOOLEAN -> DataTypes.BooleanType;
    };
  }
}
