package org.rumsessions.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the cluster jar must leave to the cluster. The embedded launcher carries the S3A connector
 * and its AWS SDK; a cluster brings the connector that matches its own Hadoop, and a second copy
 * in the application jar would shadow or clash with it. Runs after package (tag cluster).
 */
@Tag("cluster")
class ClusterJarTest {
  /** Spark's own packages are not listed: Delta's jar rightly has classes under org/apache/spark. */
  private static final List<String> LEFT_TO_THE_CLUSTER =
      List.of("org/apache/hadoop/", "com/amazonaws/", "software/amazon/awssdk/", "org/wildfly/openssl/", "scala/");

  @Test
  void theClusterJarHoldsTheJobAndDeltaButNoHadoopConnectorNorSdkNorScala() throws IOException {
    Path jar;
    try (Stream<Path> s = Files.list(Processes.ROOT.resolve("target"))) {
      jar = s.filter(p -> p.getFileName().toString().matches("rum-sessions-.*-cluster\\.jar")).findFirst()
          .orElseThrow(() -> new AssertionError("no target/rum-sessions-*-cluster.jar; the package phase builds it"));
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      List<String> names = j.stream().map(e -> e.getName()).toList();
      assertTrue(names.contains("org/rumsessions/cli/RumSessions.class"), "the job's classes are missing");
      assertTrue(names.contains("io/delta/tables/DeltaTable.class"), "Delta is missing");
      List<String> foreign = names.stream().filter(n -> LEFT_TO_THE_CLUSTER.stream().anyMatch(n::startsWith)).limit(5).toList();
      assertEquals(List.of(), foreign, jar.getFileName() + " holds classes the cluster provides");
    }
  }
}
