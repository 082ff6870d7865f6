package org.rumsessions.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduling files in jobs/: the Airflow DAG parses, and the daily run computes its range. */
class JobScriptsTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  @Test
  void airflowDagIsValidPython() throws Exception {
    assumeTrue(hasPython3(), "python3 is not installed: the DAG's syntax is not checked");
    // The byte code goes to the temporary folder, not next to the DAG in the work tree.
    Processes.Result r =
        Processes.run(tmp, "py_compile", Map.of("PYTHONPYCACHEPREFIX", tmp.resolve("pycache").toString()), LIMIT,
            List.of("python3", "-m", "py_compile", "jobs/airflow/rum_sessions_dag.py"));
    assertEquals(0, r.exit(), "jobs/airflow/rum_sessions_dag.py is not valid Python: " + r.describe());
  }

  @Test
  void dailyRunRecomputesTheLookbackDaysUpToTheDate() throws Exception {
    Processes.Result r = daily(Map.of(), "--config", "conf/cluster.yaml", "--date", "2026-03-01", "--lookback", "2", "--dry-run");
    assertEquals(0, r.exit(), r.describe());
    assertEquals(
        Processes.ROOT.resolve("jobs/submit") + " sessionize --config conf/cluster.yaml --from 2026-02-27 --to 2026-03-01",
        r.out().strip());
  }

  @Test
  void lookbackAndModeComeFromTheEnvironment() throws Exception {
    Processes.Result r =
        daily(Map.of("RUM_LOOKBACK_DAYS", "3", "SUBMIT_MODE", "local", "RUM_CONFIG", "/etc/rum/x.yaml"),
            "--date", "2026-01-02", "--dry-run");
    assertEquals(0, r.exit(), r.describe());
    assertEquals(
        Processes.ROOT.resolve("jobs/rum-sessions") + " sessionize --config /etc/rum/x.yaml --from 2025-12-30 --to 2026-01-02",
        r.out().strip());
  }

  @Test
  void submitOptionsGoBeforeTheJobCommand() throws Exception {
    Processes.Result r =
        daily(Map.of("SPARK_MASTER", "spark://10.0.0.1:7077"),
            "--date", "2026-11-26", "--lookback", "0", "--dry-run", "--", "--conf", "spark.executor.memory=2g");
    assertEquals(0, r.exit(), r.describe());
    assertEquals(
        Processes.ROOT.resolve("jobs/submit")
            + " --master spark://10.0.0.1:7077 --conf spark.executor.memory=2g sessionize --config conf/local.yaml"
            + " --from 2026-11-26 --to 2026-11-26",
        r.out().strip());
  }

  @Test
  void defaultDateIsYesterdayInUtc() throws Exception {
    LocalDate before = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    Processes.Result r = daily(Map.of(), "--lookback", "1", "--dry-run");
    LocalDate after = LocalDate.now(ZoneOffset.UTC).minusDays(1);
    assertEquals(0, r.exit(), r.describe());
    // Either side of a midnight that passed while the script ran is right.
    assertTrue(
        r.out().strip().endsWith("--from " + before.minusDays(1) + " --to " + before)
            || r.out().strip().endsWith("--from " + after.minusDays(1) + " --to " + after),
        r.out());
  }

  @Test
  void invalidDateOrLookbackIsAUsageError() throws Exception {
    Processes.Result badDate = daily(Map.of(), "--date", "2026-02-30", "--dry-run");
    assertEquals(2, badDate.exit(), badDate.describe());
    assertTrue(badDate.err().contains("--date must be a date YYYY-MM-DD"), badDate.err());
    Processes.Result badLookback = daily(Map.of(), "--date", "2026-02-03", "--lookback", "-1", "--dry-run");
    assertEquals(2, badLookback.exit(), badLookback.describe());
    assertEquals("", badLookback.out());
  }

  @Test
  void launcherAsksForTransparentHugePagesOnlyWhereTheKernelOffersThemAndJavaOptsWin() throws Exception {
    Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
    String mode = Files.isReadable(thp) ? Files.readString(thp) : "";
    boolean offered = mode.contains("[always]") || mode.contains("[madvise]");
    List<String> plain = javaOpts(Map.of());
    assertEquals(offered, plain.contains("-XX:+UseTransparentHugePages"), "kernel: '" + mode.strip() + "', options: " + plain);
    assertTrue(plain.contains("-XX:+UseParallelGC") && plain.contains("-Xmx3g"), plain.toString());
    // Asked off in JAVA_OPTS: the launcher adds nothing that contradicts it.
    List<String> off = javaOpts(Map.of("JAVA_OPTS", "-XX:-UseTransparentHugePages"));
    assertEquals(List.of("-XX:-UseTransparentHugePages"), off.stream().filter(o -> o.contains("HugePages")).toList(), off.toString());
    if (offered) {
      // The JVM takes it without a word on standard output, where sql prints its data.
      List<String> cmd = new ArrayList<>(List.of("java"));
      cmd.addAll(plain.stream().filter(o -> o.startsWith("-XX:")).toList());
      cmd.add("-version");
      Processes.Result r = Processes.run(tmp, "thp-java", Map.of(), LIMIT, cmd);
      assertEquals(0, r.exit(), r.describe());
      assertEquals("", r.out(), r.describe());
    }
  }

  /** The JVM options jobs/lib.sh gives a command of the embedded local Spark. */
  private List<String> javaOpts(Map<String, String> env) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putIfAbsent("JAVA_OPTS", "");
    all.putIfAbsent("RUM_SESSIONS_HEAP", "");
    Processes.Result r =
        Processes.run(tmp, "java-opts-" + System.nanoTime(), all, LIMIT,
            List.of("bash", "-c", "ROOT=\"$PWD\"; source jobs/lib.sh; rum_java_opts"));
    assertEquals(0, r.exit(), r.describe());
    return List.of(r.out().strip().split("\\s+"));
  }

  private Processes.Result daily(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", "jobs/sessionize-daily"));
    cmd.addAll(List.of(args));
    return Processes.run(tmp, "daily-" + System.nanoTime(), env, LIMIT, cmd);
  }

  private static boolean hasPython3() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
