package org.rumsessions.normalize;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
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
   * every count of the run.
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
    return decoded
        .withColumn(ACCEPTED, accepted)
        .withColumn(PARTITION_KEY, key)
        .repartition(col(PARTITION_KEY))
        .withColumn(KIND, when(not(col(ACCEPTED)), lit(REJECTED)).when(isCopy, lit(COPY)).otherwise(lit(EVENT)))
        .drop(ACCEPTED);
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
