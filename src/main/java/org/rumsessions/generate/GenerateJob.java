package org.rumsessions.generate;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Generates the data set on Spark: one task per slice, each generating its sessions and writing
 * them, with no shuffle. The slice count comes from the arguments only, which is what makes the
 * output the same on every cluster.
 */
public final class GenerateJob {
  private final SparkSession spark;
  private final GeneratorSpec spec;
  private final String out;
  private final boolean overwrite;

  public GenerateJob(SparkSession spark, GeneratorSpec spec, String out, boolean overwrite) {
    this.spark = spark;
    this.spec = spec;
    this.out = out;
    this.overwrite = overwrite;
  }

  public GenerateStats run() {
    OutputFolders folders = new OutputFolders(new Path(out), spark.sparkContext().hadoopConfiguration(), spec);
    folders.checkTargets(overwrite);
    Path staging = folders.freshStaging();
    GenerateStats stats = spec.format() == OutputFormat.JSON ? jsonLines(staging.toString()) : parquet(staging.toString());
    stats.files = folders.publish(staging);
    return stats;
  }

  private GenerateStats jsonLines(String staging) {
    GeneratorSpec s = spec;
    SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    return slices()
        .map(i -> {
          Path folder = new Path(staging);
          return Slice.writeJson(s, i, folder.getFileSystem(conf.value()), folder);
        })
        .reduce(GenerateStats::plus);
  }

  private GenerateStats parquet(String staging) {
    GeneratorSpec s = spec;
    JavaRDD<Row> rows = slices().flatMap(i -> Slice.rows(s, i));
    spark.createDataFrame(rows, ParquetRows.SCHEMA)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(ParquetRows.DATE)
        .parquet(staging);
    // Counted in a pass of its own rather than by an accumulator inside the write: Spark counts an
    // accumulator again for every retried task of a transformation. Generating is deterministic and
    // cheap next to writing, so the counts are exact.
    return slices().map(i -> Slice.count(s, i)).reduce(GenerateStats::plus);
  }

  /** One partition per slice, holding just its number. */
  private JavaRDD<Integer> slices() {
    List<Integer> numbers = IntStream.range(0, spec.slices()).boxed().toList();
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(numbers, spec.slices());
  }
}
