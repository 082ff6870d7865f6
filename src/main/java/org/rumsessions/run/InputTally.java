package org.rumsessions.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rumsessions.common.DateRange;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.normalize.ParsedEvents;

/**
 * The input's counts, from one small aggregation of the run's assigned rows: per kind of row and
 * reason, over the range's own input partitions, and the data horizon (the latest end among all
 * accepted records read, the padding days' included).
 */
record InputTally(RunCounts.InputCounts counts, Long latestEndNs) {
  private static final String OWNED = "owned";

  static InputTally of(Dataset<Row> assigned, DateRange range) {
    Map<String, Long> byReason = new TreeMap<>();
    long accepted = 0;
    long kept = 0;
    long rejected = 0;
    long forgotten = 0;
    Long latestEnd = null;
    for (Row r : assigned
        .groupBy(col(Normalizer.KIND), SessionizeJob.owned(range).as(OWNED), col(ParsedEvents.REJECT_REASON))
        .agg(count(lit(1)), max(col(ParsedEvents.END_NS)))
        .collectAsList()) {
      String kind = r.getString(0);
      boolean owned = r.getBoolean(1);
      long n = r.getLong(3);
      if (kind.equals(Normalizer.FORGOTTEN)) {
        forgotten += owned ? n : 0;
        // The horizon is about the input that arrived: a forgotten event's end still counts, so
        // that forgetting someone does not change which of the others' sessions are closed.
        if (r.isNullAt(2) && !r.isNullAt(4)) {
          latestEnd = latestEnd == null ? r.getLong(4) : Math.max(latestEnd, r.getLong(4));
        }
        continue;
      }
      if (kind.equals(Normalizer.REJECTED)) {
        if (owned) {
          rejected += n;
          byReason.merge(r.getString(2), n, Long::sum);
        }
        continue;
      }
      if (owned) {
        accepted += n;
        kept += kind.equals(Normalizer.EVENT) ? n : 0;
      }
      if (!r.isNullAt(4)) {
        latestEnd = latestEnd == null ? r.getLong(4) : Math.max(latestEnd, r.getLong(4));
      }
    }
    return new InputTally(new RunCounts.InputCounts(accepted + rejected + forgotten, rejected, byReason, accepted - kept, forgotten), latestEnd);
  }
}
