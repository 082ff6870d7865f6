package org.rumsessions.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RUM_SPARK picks the Spark line of the launchers; a value or a Spark distribution that does not fit is refused. */
class SparkLineLaunchersTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @TempDir Path tmp;

  @Test
  void anUnknownSparkLineIsAUsageError() throws Exception {
    for (String launcher : List.of("jobs/rum-sessions", "jobs/submit")) {
      Processes.Result r = run(Map.of("RUM_SPARK", "3.4"), launcher, "--master", "local[1]", "help");
      assertEquals(2, r.exit(), r.describe());
      assertTrue(r.err().contains("RUM_SPARK must be 3 (Spark 3.5, Scala 2.12; the default) or 4 (Spark 4.0, Scala 2.13), was '3.4'"),
          r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void submitRefusesASparkHomeOfTheOtherLine() throws Exception {
    Path spark35 = fakeSparkHome("spark-3.5", "spark-core_2.12-3.5.7.jar");
    Processes.Result r = run(Map.of("RUM_SPARK", "4", "SPARK_HOME", spark35.toString()), "jobs/submit",
        "--master", "yarn", tmp.resolve("app.jar").toString(), "sessionize");
    assertEquals(2, r.exit(), r.describe());
    assertTrue(r.err().contains("holds spark-core_2.12-3.5.7.jar, but RUM_SPARK=4 needs spark-core_2.13-4.0.x"), r.err());
    assertTrue(!r.out().contains("spark-submit called"), "the distribution's spark-submit must not run");
  }

  @Test
  void submitRunsASparkHomeOfItsLine() throws Exception {
    Path spark40 = fakeSparkHome("spark-4.0", "spark-core_2.13-4.0.1.jar");
    Processes.Result r = run(Map.of("RUM_SPARK", "4", "SPARK_HOME", spark40.toString()), "jobs/submit",
        "--master", "yarn", tmp.resolve("app.jar").toString(), "sessionize", "--date", "2026-11-26");
    assertEquals(0, r.exit(), r.describe());
    assertEquals("spark-submit called: --master yarn " + tmp.resolve("app.jar") + " sessionize --date 2026-11-26", r.out().strip());
  }

  /** A Spark distribution's layout with a spark-submit that only says how it was called. */
  private Path fakeSparkHome(String name, String coreJar) throws Exception {
    Path home = tmp.resolve(name);
    Files.createDirectories(home.resolve("jars"));
    Files.createFile(home.resolve("jars").resolve(coreJar));
    Path submit = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
    Files.writeString(submit, "#!/usr/bin/env bash\necho \"spark-submit called: $*\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return home;
  }

  private Processes.Result run(Map<String, String> env, String launcher, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", launcher));
    cmd.addAll(List.of(args));
    return Processes.run(tmp.resolve("logs"), "launcher-" + System.nanoTime(), env, LIMIT, cmd);
  }
}
