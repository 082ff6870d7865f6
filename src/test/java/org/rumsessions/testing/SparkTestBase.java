package org.rumsessions.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.rumsessions.common.SparkSessions;

/**
 * spark-testing-base from JUnit 5: one local Spark session per test class, with Delta and a small
 * shuffle partition count. The library's own setup uses JUnit 4 annotations, which Jupiter ignores,
 * so its lifecycle methods are called here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SparkTestBase extends JavaDataFrameSuiteBase {

  @BeforeAll
  void startSpark() {
    runBefore();
  }

  @AfterAll
  void stopSpark() {
    runAfterClass();
  }

  /** The job's own defaults (SparkSessions.defaults()), then what a small test needs. */
  @Override
  public SparkConf conf() {
    SparkConf conf = new SparkConf();
    SparkSessions.defaults().forEach(conf::set);
    return conf
        .setMaster("local[2]")
        .setAppName(getClass().getSimpleName())
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.default.parallelism", "2")
        .set("spark.databricks.delta.snapshotPartitions", "2")
        .set("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2");
  }

  @Override
  public boolean enableHiveSupport() {
    return false;
  }
}
