package org.rumsessions.normalize;

import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/** Time columns computed from nanoseconds, at the edges where floating point would slip. */
class ColumnsTest extends SparkTestBase {

  @Test
  void anEventNanosecondsBeforeMidnightKeepsItsDate() {
    long midnight = RawEvents.nanos("2026-11-27T00:00:00Z");
    List<Row> rows =
        spark().range(1).selectExpr(
                (midnight - 1) + "L AS a", (midnight - 100) + "L AS b", midnight + "L AS c", "-1L AS d")
            .select(
                Columns.utcDateFromNanos("a").cast("string"),
                Columns.utcDateFromNanos("b").cast("string"),
                Columns.utcDateFromNanos("c").cast("string"),
                Columns.utcDateFromNanos("d").cast("string"))
            .collectAsList();
    Row r = rows.get(0);
    Assertions.assertEquals("2026-11-26", r.getString(0));
    Assertions.assertEquals("2026-11-26", r.getString(1));
    Assertions.assertEquals("2026-11-27", r.getString(2));
    Assertions.assertEquals("1969-12-31", r.getString(3));
  }
}
