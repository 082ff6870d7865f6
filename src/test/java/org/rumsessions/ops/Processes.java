package org.rumsessions.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Child processes for the ops tests: output goes to files (a full pipe would block the child),
 * every wait has a limit, and a child that overstays is killed with everything it started.
 */
final class Processes {
  static final Path ROOT = Path.of(System.getProperty("rum.project.dir", System.getProperty("user.dir")));

  /** Variables a child must not inherit from the test JVM or the developer's shell. */
  private static final List<String> DROPPED_ENV =
      List.of("SPARK_HOME", "SPARK_TESTING", "SPARK_MASTER", "SUBMIT_MODE", "RUM_CONFIG", "RUM_LOOKBACK_DAYS", "RUM_DRY_RUN", "RUM_SPARK");

  private Processes() {}

  /** What a finished child left: its exit code and both outputs. */
  record Result(int exit, String out, String err) {
    String describe() {
      return "exit " + exit + "\n--- stdout ---\n" + tail(out) + "\n--- stderr ---\n" + tail(err);
    }
  }

  static ProcessBuilder builder(Path logDir, String name, Map<String, String> env, List<String> command) throws IOException {
    Files.createDirectories(logDir);
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    DROPPED_ENV.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(logDir.resolve(name + ".out").toFile());
    pb.redirectError(logDir.resolve(name + ".err").toFile());
    return pb;
  }

  /** Runs a command to its end, or kills it after {@code timeout} and fails. */
  static Result run(Path logDir, String name, Map<String, String> env, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Process p = builder(logDir, name, env, command).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      stop(p);
      throw new AssertionError(name + " did not finish within " + timeout + ": " + read(logDir, name).describe());
    }
    Result r = read(logDir, name);
    return new Result(p.exitValue(), r.out(), r.err());
  }

  static Result read(Path logDir, String name) throws IOException {
    return new Result(-1, readIfThere(logDir.resolve(name + ".out")), readIfThere(logDir.resolve(name + ".err")));
  }

  /** Ends a process and its descendants (a Worker's executors): politely first, then by force. */
  static void stop(Process p) throws InterruptedException {
    if (p == null) {
      return;
    }
    List<ProcessHandle> children = p.descendants().toList();
    p.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle c : children) {
      if (c.isAlive()) {
        c.destroyForcibly();
      }
    }
  }

  static String readIfThere(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  static String tail(String s) {
    return s.length() <= 6000 ? s : "...\n" + s.substring(s.length() - 6000);
  }
}
