package org.rumsessions.generate;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Generates the data set on Spark: one task per slice, each generating its sessions and writing
 * them, with no shuffle. The slice count comes from the arguments only, which is what makes the
 * output the same on every cluster.
 */
final class GenerateJob {
  private final SparkSession spark;
  private final GeneratorSpec spec;
  private final String out;
  private final boolean overwrite;

  GenerateJob(SparkSession spark, GeneratorSpec spec, String out, boolean overwrite) {
    this.spark = spark;
    this.spec = spec;
    this.out = out;
    this.overwrite = overwrite;
  }

  GenerateStats run() {
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
    CollectionAccumulator<GenerateStats> counts = spark.sparkContext().collectionAccumulator("generated events");
    JavaRDD<Row> rows = slices().flatMap(i -> Slice.rows(s, i, counts::add));
    spark.createDataFrame(rows, ParquetRows.SCHEMA)
        .write()
        .mode(SaveMode.Overwrite)
        .partitionBy(ParquetRows.DATE)
        .parquet(staging);
    return counts.value().stream().reduce(new GenerateStats(), GenerateStats::plus);
  }

  /** One partition per slice, holding just its number. */
  private JavaRDD<Integer> slices() {
    List<Integer> numbers = IntStream.range(0, spec.slices()).boxed().toList();
    return JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(numbers, spec.slices());
  }
}
