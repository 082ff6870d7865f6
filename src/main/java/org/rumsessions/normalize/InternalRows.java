package org.rumsessions.normalize;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Where the decoder's internal rows become a DataFrame. The decoder works on internal rows because
 * Spark's generic {@code Row} encoder, on rows of about sixty fields with two maps, cost as much CPU
 * as the JSON decoding itself. (The readers of Parquet and Delta input cross the other way, with
 * {@code queryExecution().toRdd()} in {@code read/RawRecords}.)
 *
 * <p>{@code internalCreateDataFrame} is package-private in Scala ({@code private[sql]}) and thus
 * public to Java; on Spark 4 it lives on {@code org.apache.spark.sql.classic.SparkSession}, which is
 * the only line to change here.
 */
final class InternalRows {
  private InternalRows() {}

  /** A DataFrame over internal rows that already have {@code schema}'s Spark types. */
  static Dataset<Row> frame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return spark.internalCreateDataFrame(rows, schema, false);
  }
}
