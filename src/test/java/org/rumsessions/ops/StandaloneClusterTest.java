package org.rumsessions.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.rumsessions.common.SparkSessions;
import org.rumsessions.sql.ResultPrinter;
import org.rumsessions.testing.SparkLine;

/**
 * The application on a real multi-process Spark standalone cluster, started from the Maven jars:
 * a Master and two Workers as child JVMs, the job submitted with jobs/submit, executors in their
 * own JVMs. The tables it writes must equal, row for row, those of a local run on the same input.
 *
 * <p>Needs the cluster jar, which the Maven test phase does not build: run {@code ./mvnw -B
 * -DskipTests package} first; without a current jar the test is skipped. Under the spark4 profile
 * the same test runs Spark 4's Master and Workers with the Spark 4 cluster jar.
 */
@Tag("cluster")
class StandaloneClusterTest {
  private static final Duration CLUSTER_START = Duration.ofSeconds(90);
  private static final Duration JOB = Duration.ofSeconds(300);
  private static final String FROM = "2026-11-25";
  private static final String TO = "2026-11-27";

  private static Path tmp;
  private static Path logs;
  private static Path jar;
  private static String mavenClasspath;
  private static String masterUrl;
  private static final List<Process> daemons = new ArrayList<>();
  private static SparkSession reader;
  private static String skipReason;
  private static boolean ownReader;

  @BeforeAll
  static void startCluster() throws Exception {
    // Checked here but reported by each test, so that a skip shows with its reason in the report.
    skipReason = missingBuild();
    if (skipReason != null) {
      return;
    }
    Path classpathFile = SparkLine.buildDir(Processes.ROOT).resolve("classpath.txt");
    mavenClasspath = Files.readString(classpathFile).strip();

    tmp = Files.createTempDirectory("rum-cluster-test");
    logs = tmp.resolve("logs");
    // The Worker builds executor command lines with Spark's launcher, which needs SPARK_HOME/jars
    // to exist and the Scala version spelled out; the jars themselves come from extraClassPath.
    Path sparkHome = Files.createDirectories(tmp.resolve("spark-home/jars"));
    Map<String, String> env =
        Map.of("SPARK_HOME", sparkHome.getParent().toString(), "SPARK_SCALA_VERSION", SparkLine.scalaVersion(), "SPARK_LOCAL_IP", "127.0.0.1");

    int port = freePort();
    int webUi = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    daemons.add(daemon("master", env, "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", String.valueOf(webUi)));
    for (int i = 1; i <= 2; i++) {
      Path work = Files.createDirectories(tmp.resolve("work" + i));
      daemons.add(daemon("worker" + i, env, "org.apache.spark.deploy.worker.Worker", masterUrl,
          "--cores", "1", "--memory", "1g", "--work-dir", work.toString(),
          "--host", "127.0.0.1", "--webui-port", String.valueOf(freePort())));
    }
    awaitWorkers(webUi, 2);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    // A session another test class started is left to it.
    if (reader != null && ownReader) {
      reader.stop();
    }
    // Workers first, so that none is left trying to reach a stopped Master.
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Processes.stop(daemons.get(i));
    }
    daemons.clear();
    if (tmp != null) {
      try (Stream<Path> s = Files.walk(tmp)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void clusterRunWritesTheSameTablesAsALocalRun() throws Exception {
    assumeTrue(skipReason == null, skipReason);
    Path input = writeInput(tmp.resolve("raw"));
    Path config = writeConfig(tmp.resolve("rum.yaml"), input);
    Path clusterWarehouse = tmp.resolve("warehouse-cluster");
    Path localWarehouse = tmp.resolve("warehouse-local");
    Map<String, String> env = Map.of("RUM_SESSIONS_NO_BUILD", "1", "SPARK_LOCAL_IP", "127.0.0.1", "RUM_SPARK", SparkLine.RUM_SPARK);

    Processes.Result cluster = Processes.run(logs, "submit", env, JOB, List.of(
        "bash", "jobs/submit",
        "--master", masterUrl,
        "--driver-memory", "768m",
        "--conf", "spark.executor.extraClassPath=" + mavenClasspath,
        "--conf", "spark.executor.memory=512m",
        "--class", "org.rumsessions.cli.RumSessions",
        jar.toString(),
        "sessionize", "--config", config.toString(), "--warehouse", clusterWarehouse.toString(),
        "--from", FROM, "--to", TO));
    assertEquals(0, cluster.exit(), "cluster run failed: " + cluster.describe() + executorLogs());
    assertTrue(cluster.out().contains("sessions written"), cluster.describe());
    // Each Worker has one core, so the application got one executor JVM on each.
    assertEquals(1, appDirs(tmp.resolve("work1")), "no executor ran on worker 1" + executorLogs());
    assertEquals(1, appDirs(tmp.resolve("work2")), "no executor ran on worker 2" + executorLogs());

    Processes.Result local = Processes.run(logs, "local", env, JOB, List.of(
        "bash", "jobs/rum-sessions",
        "sessionize", "--config", config.toString(), "--warehouse", localWarehouse.toString(),
        "--from", FROM, "--to", TO));
    assertEquals(0, local.exit(), "local run failed: " + local.describe());

    for (String table : List.of("user_sessions", "user_events")) {
      List<String> fromCluster = rows(clusterWarehouse.resolve(table));
      List<String> fromLocal = rows(localWarehouse.resolve(table));
      assertFalse(fromLocal.isEmpty(), table + " is empty");
      assertEquals(fromLocal, fromCluster, table + " differs between the cluster and the local run");
    }
  }

  @Test
  void submitWithoutAJarRunsTheClusterJarsMainClass() throws Exception {
    assumeTrue(skipReason == null, skipReason);
    // No jar and no --class: jobs/submit adds target/rum-sessions-*-cluster.jar and the CLI's class.
    Processes.Result r = Processes.run(logs, "submit-default", Map.of("RUM_SESSIONS_NO_BUILD", "1", "RUM_SPARK", SparkLine.RUM_SPARK), JOB,
        List.of("bash", "jobs/submit", "--master", "local[1]", "help"));
    assertEquals(0, r.exit(), r.describe());
    assertTrue(r.out().contains("sessionize") && r.out().contains("maintain"), r.describe());
  }

  /** Every row as JSON (nested columns as nested objects), sorted, so that order does not matter. */
  private static List<String> rows(Path table) {
    if (reader == null) {
      SparkSession.Builder b = SparkSession.builder()
          .master("local[1]")
          .appName("cluster-test-reader")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1");
      SparkSessions.defaults().forEach(b::config);
      ownReader = SparkSession.getDefaultSession().isEmpty();
      reader = b.getOrCreate();
    }
    var data = reader.read().format("delta").load(table.toString());
    List<String> json = new ArrayList<>();
    for (Row r : data.collectAsList()) {
      json.add(ResultPrinter.json(r, data.schema()));
    }
    json.sort(Comparator.naturalOrder());
    return json;
  }

  /**
   * A few sessions over three days: a duplicate event (in the same file and in another one), a
   * malformed line and one without session id, a timeout gap, a session over midnight, an event
   * that arrived a day late, the nested key spelling, and a session still open at the horizon.
   */
  static Path writeInput(Path raw) throws IOException {
    write(raw.resolve("date=2026-11-25/a.jsonl"),
        "{\"dt.rum.session.id\":\"s1\",\"id\":\"e1\",\"start_time\":\"2026-11-25T10:00:00Z\",\"characteristics.has_navigation\":true,\"browser.name\":\"Firefox\"}",
        "{\"dt.rum.session.id\":\"s1\",\"id\":\"e2\",\"start_time\":\"2026-11-25T10:05:00Z\",\"duration\":2000000000,\"characteristics.has_user_interaction\":true}",
        "{\"dt.rum.session.id\":\"s1\",\"id\":\"e2\",\"start_time\":\"2026-11-25T10:05:00Z\",\"duration\":2000000000,\"characteristics.has_user_interaction\":true}",
        "{\"dt.rum.session.id\":\"s2\",\"id\":\"e3\",\"start_time\":\"2026-11-25T23:50:00Z\",\"characteristics.has_navigation\":true,\"session_properties.plan\":\"pro\"}",
        "{not json");
    write(raw.resolve("date=2026-11-26/a.jsonl"),
        "{\"dt.rum.session.id\":\"s2\",\"id\":\"e4\",\"start_time\":\"2026-11-26T00:10:00Z\",\"characteristics.has_request\":true,\"characteristics.has_error\":true,\"http.response.status_code\":503}",
        "{\"dt.rum.session.id\":\"s3\",\"id\":\"e5\",\"start_time\":\"2026-11-26T09:00:00Z\",\"characteristics.has_navigation\":true}",
        "{\"dt.rum.session.id\":\"s3\",\"id\":\"e6\",\"start_time\":\"2026-11-26T10:00:00Z\",\"characteristics.has_navigation\":true}",
        "{\"id\":\"e7\",\"start_time\":\"2026-11-26T11:00:00Z\"}");
    write(raw.resolve("date=2026-11-26/b.jsonl"),
        "{\"dt.rum.session.id\":\"s2\",\"id\":\"e4\",\"start_time\":\"2026-11-26T00:10:00Z\",\"characteristics.has_request\":true,\"characteristics.has_error\":true,\"http.response.status_code\":503}",
        "{\"dt\":{\"rum\":{\"session\":{\"id\":\"s6\"},\"user_type\":\"synthetic\"}},\"id\":\"e11\",\"start_time\":\"2026-11-26T15:00:00Z\",\"characteristics\":{\"has_navigation\":true}}");
    write(raw.resolve("date=2026-11-27/a.jsonl"),
        "{\"dt.rum.session.id\":\"s3\",\"id\":\"e12\",\"start_time\":\"2026-11-26T09:20:00Z\",\"characteristics.has_user_action\":true}",
        "{\"dt.rum.session.id\":\"s4\",\"id\":\"e8\",\"start_time\":\"2026-11-27T08:00:00Z\",\"characteristics.has_navigation\":true}",
        "{\"dt.rum.session.id\":\"s4\",\"id\":\"e9\",\"start_time\":1795766460000000000,\"characteristics.has_user_action\":true}",
        "{\"dt.rum.session.id\":\"s5\",\"id\":\"e10\",\"start_time\":\"2026-11-27T12:00:00Z\",\"characteristics.has_navigation\":true}");
    return raw;
  }

  static Path writeConfig(Path file, Path input) throws IOException {
    Files.writeString(file, String.join("\n",
        "input:",
        "  path: " + input,
        "quality:",
        "  max-rejected-fraction: 0.5   # two of the fifteen records are bad on purpose",
        "spark:",
        "  master: local[2]             # the local run; spark-submit sets the cluster's",
        "  conf:",
        "    spark.sql.shuffle.partitions: \"4\"",
        "    spark.ui.enabled: \"false\"",
        "    spark.driver.host: 127.0.0.1",
        "    spark.driver.bindAddress: 127.0.0.1",
        ""));
    return file;
  }

  private static void write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  /** Why the build is not fit for this test (no cluster jar, or an outdated one), or null. */
  private static String missingBuild() throws IOException {
    Path target = SparkLine.buildDir(Processes.ROOT);
    if (!Files.isRegularFile(target.resolve("classpath.txt"))) {
      return "target/classpath.txt is missing: run ./mvnw -B -DskipTests package before the tests";
    }
    try (Stream<Path> s = Files.list(target)) {
      jar = s.filter(p -> p.getFileName().toString().matches("rum-sessions-.*-cluster\\.jar"))
          .max(Comparator.comparing(StandaloneClusterTest::modified)).orElse(null);
    }
    if (jar == null) {
      return "no target/rum-sessions-*-cluster.jar: run ./mvnw -B -DskipTests package before the tests";
    }
    FileTime newestClass;
    try (Stream<Path> s = Files.walk(target.resolve("classes"))) {
      newestClass = s.filter(p -> p.toString().endsWith(".class")).map(StandaloneClusterTest::modified)
          .max(Comparator.naturalOrder()).orElse(FileTime.fromMillis(0));
    }
    if (modified(jar).compareTo(newestClass) < 0) {
      return jar.getFileName() + " is older than target/classes: rebuild it with ./mvnw -B -DskipTests package";
    }
    return null;
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  /** A Spark daemon JVM with the Java 17 flags this test JVM runs with. */
  private static Process daemon(String name, Map<String, String> env, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect"))
        .forEach(cmd::add);
    cmd.add("-cp");
    cmd.add(SparkLine.buildDir(Processes.ROOT).resolve("classes") + ":" + mavenClasspath);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return Processes.builder(logs, name, env, cmd).start();
  }

  /** Polls the Master's JSON page until {@code n} workers are alive. */
  private static void awaitWorkers(int webUi, int n) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webUi + "/json/"))
        .timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + CLUSTER_START.toNanos();
    String last = "(no answer)";
    while (System.nanoTime() < deadline) {
      for (Process p : daemons) {
        if (!p.isAlive()) {
          throw new AssertionError("a Spark daemon exited early: " + daemonLogs());
        }
      }
      try {
        last = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        JsonNode state = new ObjectMapper().readTree(last);
        if ("ALIVE".equals(state.path("status").asText()) && state.path("aliveworkers").asInt() >= n) {
          return;
        }
      } catch (IOException notYet) {
        // The Master is still starting.
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("the cluster did not get " + n + " workers within " + CLUSTER_START + "; master said "
        + last + daemonLogs());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static long appDirs(Path work) throws IOException {
    try (Stream<Path> s = Files.list(work)) {
      return s.filter(p -> p.getFileName().toString().startsWith("app-")).count();
    }
  }

  private static String daemonLogs() {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("master", "worker1", "worker2")) {
      try {
        b.append("\n--- ").append(name).append(" ---\n").append(Processes.tail(Processes.read(logs, name).err()));
      } catch (IOException e) {
        b.append("\n(").append(name).append(" log unreadable: ").append(e.getMessage()).append(')');
      }
    }
    return b.toString();
  }

  private static String executorLogs() throws IOException {
    StringBuilder b = new StringBuilder(daemonLogs());
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        b.append("\n--- ").append(tmp.relativize(p)).append(" ---\n").append(Processes.tail(Files.readString(p)));
      }
    }
    return b.toString();
  }
}
