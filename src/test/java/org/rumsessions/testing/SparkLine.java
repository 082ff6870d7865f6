package org.rumsessions.testing;

import java.nio.file.Path;

/**
 * The Spark line of the build under test, as the launchers' {@code RUM_SPARK} names it: 3 (Spark
 * 3.5, Scala 2.12, built in target/) or 4 (the spark4 profile: Spark 4.0, Scala 2.13, target/spark4).
 * Maven passes it as the system property {@code rum.spark}, so that the tests that start the
 * launchers run the build they were compiled with.
 */
public final class SparkLine {
  public static final String RUM_SPARK = System.getProperty("rum.spark", "3");

  private SparkLine() {}

  /** The build folder of the line, under the checkout. */
  public static Path buildDir(Path root) {
    return RUM_SPARK.equals("4") ? root.resolve("target/spark4") : root.resolve("target");
  }

  /** What a Spark Worker started from the Maven jars needs as SPARK_SCALA_VERSION. */
  public static String scalaVersion() {
    return RUM_SPARK.equals("4") ? "2.13" : "2.12";
  }
}
