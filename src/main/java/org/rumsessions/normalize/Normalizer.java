package org.rumsessions.normalize;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.rumsessions.read.RawRecords;

/**
 * Raw records to decoded rows, and decoded rows to distinct events. Which copy of a duplicate is
 * kept is fixed by the data, never by the cluster: the copy from the earliest input partition, then
 * the first source file by path, then the lowest hash of the record text.
 */
public final class Normalizer {
  public static final String RECORD_HASH = "record_hash";
  public static final String COPY_RANK = "copy_rank";

  private Normalizer() {}

  /** Decodes every record; accepted rows lose their raw text (they keep its hash). */
  public static Dataset<Row> decode(Dataset<Row> raw, int maxDaysFromPartition) {
    EventParser parser = new EventParser(maxDaysFromPartition);
    MapPartitionsFunction<Row, Row> decodeAll =
        rows -> {
          Iterator<Row> it = rows;
          return new Iterator<>() {
            private Row next = advance();

            private Row advance() {
              while (it.hasNext()) {
                Row r = it.next();
                Row parsed = parser.parse(r.getString(0), r.getString(1), r.getString(2));
                if (parsed != null) {
                  return parsed;
                }
              }
              return null;
            }

            @Override
            public boolean hasNext() {
              return next != null;
            }

            @Override
            public Row next() {
              Row r = next;
              next = advance();
              return r;
            }
          };
        };
    Dataset<Row> decoded =
        raw.select(col(RawRecords.VALUE), col(ParsedEvents.SOURCE_FILE), col(ParsedEvents.INPUT_DATE))
            .mapPartitions(decodeAll, Encoders.row(ParsedEvents.SCHEMA));
    return decoded
        .withColumn(RECORD_HASH, xxhash64(col(ParsedEvents.RAW)))
        .withColumn(
            ParsedEvents.RAW,
            when(col(ParsedEvents.REJECT_REASON).isNotNull(), col(ParsedEvents.RAW)))
        .withColumn(ParsedEvents.INPUT_DATE, to_date(col(ParsedEvents.INPUT_DATE)));
  }

  /**
   * The accepted rows without duplicate copies, partitioned by session id. Copies are matched by
   * (session id, event key): a retried event keeps its session, and matching within the session
   * id lets the one shuffle by session id serve de-duplication, the session rules and the
   * aggregation alike.
   */
  public static Dataset<Row> distinctEvents(Dataset<Row> decoded) {
    Column sid = Columns.field(EventFields.SESSION_ID);
    WindowSpec copies =
        Window.partitionBy(sid, col(ParsedEvents.DEDUP_KEY))
            .orderBy(
                col(ParsedEvents.INPUT_DATE).asc_nulls_last(),
                col(ParsedEvents.SOURCE_FILE).asc_nulls_last(),
                col(RECORD_HASH),
                col(ParsedEvents.START_NS),
                col(ParsedEvents.END_NS));
    return decoded
        .where(col(ParsedEvents.REJECT_REASON).isNull())
        .drop(ParsedEvents.RAW, ParsedEvents.REJECT_REASON, ParsedEvents.REJECT_DETAIL)
        .repartition(sid)
        .withColumn(COPY_RANK, row_number().over(copies))
        .where(col(COPY_RANK).equalTo(lit(1)))
        .drop(COPY_RANK);
  }
}
