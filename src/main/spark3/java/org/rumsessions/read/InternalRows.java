package org.rumsessions.read;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * The one place that crosses between DataFrames and Spark's internal rows: the readers hand the
 * records of Parquet and Delta scans to the decoder as internal rows, and make a DataFrame of the
 * rows the decoder returns. The decoder works on internal rows because Spark's generic {@code Row}
 * encoder, on rows of about sixty fields with two maps, cost as much CPU as the JSON decoding
 * itself.
 *
 * <p>{@code internalCreateDataFrame} is package-private in Scala ({@code private[sql]}) and thus
 * public to Java. This is the Spark 3.5 copy; src/main/spark4 has the Spark 4 one, where both
 * members live on the classic (non-Connect) {@code SparkSession} and {@code Dataset}.
 */
final class InternalRows {
  private InternalRows() {}

  /** The rows of a DataFrame as Spark computes them; an iterator may reuse one row object. */
  static RDD<InternalRow> of(Dataset<Row> frame) {
    return frame.queryExecution().toRdd();
  }

  /** A DataFrame over internal rows that already have {@code schema}'s Spark types. */
  static Dataset<Row> frame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return spark.internalCreateDataFrame(rows, schema, false);
  }
}
