package org.rumsessions.read;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * The one place that crosses between DataFrames and Spark's internal rows, Spark 4 copy (the
 * Spark 3.5 one is in src/main/spark3; see there why the decoder works on internal rows).
 *
 * <p>Spark 4 split {@code SparkSession} and {@code Dataset} into an API shared with Spark Connect
 * and the classic implementations, which alone know query plans and internal rows. The job always
 * runs on a classic session (local, standalone, YARN, Kubernetes); a Connect session cannot run it.
 */
final class InternalRows {
  private InternalRows() {}

  /** The rows of a DataFrame as Spark computes them; an iterator may reuse one row object. */
  static RDD<InternalRow> of(Dataset<Row> frame) {
    return ((org.apache.spark.sql.classic.Dataset<Row>) frame).queryExecution().toRdd();
  }

  /** A DataFrame over internal rows that already have {@code schema}'s Spark types. */
  static Dataset<Row> frame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows, schema, false);
  }
}
