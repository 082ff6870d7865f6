package org.rumsessions.normalize;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.StructType;
import org.rumsessions.read.RawRecords;

/**
 * Raw records to decoded rows, and decoded rows to distinct events. Which copy of a duplicate is
 * kept is fixed by the data, never by the cluster: the copy from the earliest input partition, then
 * the first source file by path, then the lowest hash of the record text.
 */
public final class Normalizer {
  /**
   * The shuffle key: the session id of an accepted row; a rejected row's record hash behind a
   * prefix, which spreads rejected rows over the partitions. The copy marking partitions by whether
   * a row was accepted and the session rules by {@link #KIND}, so a session id that happened to look
   * like such a key never mixes with rejected rows.
   */
  public static final String PARTITION_KEY = "partition_key";

  /** What a row is: {@link #EVENT}, {@link #COPY} or {@link #REJECTED}. */
  public static final String KIND = "row_kind";

  /** The kept copy of an accepted event: the row the session rules and the tables see. */
  public static final String EVENT = "event";

  /** A duplicate of an accepted event, counted and then dropped. */
  public static final String COPY = "copy";

  public static final String REJECTED = "rejected";

  /** A record of a session id or user tag that forget erased: counted, never written. */
  public static final String FORGOTTEN = "forgotten";
  private static final String ACCEPTED = "accepted";

  /**
   * The rest of a row, as one struct, from the shuffle by session id to the end of the session rules:
   * every sort and window operator between them copies each row it passes on, and a struct is copied
   * as one block of bytes where 50 columns are copied one by one (measured on 2M events: the
   * copying was the largest part of the window operators' time). {@link #unpack} flattens it again.
   */
  static final String PAYLOAD = "payload";

  /** The columns that the shuffle, the copy marking and the session rules read; the rest is packed. */
  private static final List<String> WORKING =
      List.of(
          RawRecords.INPUT_DATE, RawRecords.SOURCE_FILE, ParsedEvents.REJECT_REASON, ParsedEvents.RECORD_HASH,
          ParsedEvents.START_NS, ParsedEvents.END_NS, ParsedEvents.DEDUP_KEY, ParsedEvents.FORGOTTEN);
  private static final String REJECTED_KEY_PREFIX = "\u0000rejected:";

  private Normalizer() {}

  /**
   * Decodes every record as it is read, in the reading task; accepted rows lose their raw text
   * (they keep its hash). Personal data are treated here, so that no stage after it sees them as
   * received.
   */
  public static Dataset<Row> decode(RawRecords.Records raw, int maxDaysFromPartition, PersonalData personal) {
    return raw.decode(new EventParser(maxDaysFromPartition, personal), ParsedEvents.SCHEMA);
  }

  /**
   * Every row, partitioned by {@link #PARTITION_KEY} and marked with its {@link #KIND}: the one kept
   * copy of each event, its duplicate copies, or a rejected record. Copies are matched by (session
   * id, event key): a retried event keeps its session, and matching within the session id lets the
   * one shuffle by session id serve de-duplication, the session rules and the aggregation alike.
   * Copies and rejected rows ride along in that shuffle, so that one materialized result answers
   * every count of the run. The columns the marking and the rules do not read travel packed (see
   * {@link #PAYLOAD}); {@link #unpack} restores the decoded columns once the rules have run.
   *
   * <p>The kept copy is the first of its key in the order of {@link Normalizer}'s class comment: a
   * lag over each session's rows sorted by key, rather than a window per event, which would set up
   * one window group for almost every row.
   */
  public static Dataset<Row> markCopies(Dataset<Row> decoded) {
    Column accepted = col(ParsedEvents.REJECT_REASON).isNull();
    Column key =
        when(accepted, Columns.field(EventFields.SESSION_ID))
            .otherwise(concat(lit(REJECTED_KEY_PREFIX), col(ParsedEvents.RECORD_HASH).cast("string")));
    WindowSpec byKey =
        Window.partitionBy(col(PARTITION_KEY), col(ACCEPTED))
            .orderBy(
                col(ParsedEvents.DEDUP_KEY),
                col(RawRecords.INPUT_DATE).asc_nulls_last(),
                col(RawRecords.SOURCE_FILE).asc_nulls_last(),
                col(ParsedEvents.RECORD_HASH),
                col(ParsedEvents.START_NS),
                col(ParsedEvents.END_NS));
    Column isCopy = col(ACCEPTED).and(coalesce(lag(col(ParsedEvents.DEDUP_KEY), 1).over(byKey).equalTo(col(ParsedEvents.DEDUP_KEY)), lit(false)));
    List<Column> working = new ArrayList<>();
    List<Column> packed = new ArrayList<>();
    for (String name : decoded.columns()) {
      (WORKING.contains(name) ? working : packed).add(col(name));
    }
    working.add(struct(packed.toArray(Column[]::new)).as(PAYLOAD));
    working.add(accepted.as(ACCEPTED));
    working.add(key.as(PARTITION_KEY));
    return decoded
        .select(working.toArray(Column[]::new))
        .repartition(col(PARTITION_KEY))
        .withColumn(KIND, when(not(col(ACCEPTED)), lit(REJECTED)).when(isCopy, lit(COPY)).otherwise(lit(EVENT)))
        .drop(ACCEPTED);
  }

  /**
   * Rows of {@link #markCopies}, with whatever was added to them since, back in the decoded columns'
   * order: the decoded columns first, then the added ones.
   */
  public static Dataset<Row> unpack(Dataset<Row> marked) {
    StructType payload = (StructType) marked.schema().apply(PAYLOAD).dataType();
    List<String> present = List.of(marked.columns());
    List<Column> out = new ArrayList<>();
    for (String name : ParsedEvents.SCHEMA.fieldNames()) {
      if (payload.getFieldIndex(name).isDefined()) {
        out.add(col(PAYLOAD).getField(name).as(name));
      } else if (present.contains(name)) {
        out.add(col(name));
      }
    }
    for (String name : present) {
      if (!name.equals(PAYLOAD) && ParsedEvents.SCHEMA.getFieldIndex(name).isEmpty()) {
        out.add(col(name));
      }
    }
    return marked.select(out.toArray(Column[]::new));
  }

  /**
   * Rows of {@link #markCopies} with every record of a forgotten person marked {@link #FORGOTTEN}:
   * every accepted record of a session id that a tombstone names, or of which any record carries a
   * forgotten user tag (one tagged event forgets its whole session), and rejected records that name
   * either. A decision per session id, over rows already partitioned by it. Only needed when there
   * are tombstones.
   */
  public static Dataset<Row> markForgotten(Dataset<Row> marked) {
    Column anyOfTheKey = max(coalesce(col(ParsedEvents.FORGOTTEN), lit(false))).over(Window.partitionBy(col(PARTITION_KEY)));
    return marked.withColumn(KIND, when(anyOfTheKey, lit(FORGOTTEN)).otherwise(col(KIND)));
  }
}
