package org.rumsessions.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.rumsessions.cli.RumSessions;

/**
 * {@code rum-sessions maintain} on a tiny warehouse made by two sessionize runs over the same two
 * days: the second run replaced every data file and added a second run record, so there are
 * files for VACUUM and for compaction. The tests run in order on the same warehouse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaintainCommandTest {
  @TempDir static Path tmp;
  static Path config;
  static String countsBefore;

  @BeforeAll
  static void warehouse() throws IOException {
    write(tmp.resolve("raw/date=2026-11-25/a.jsonl"),
        "{\"dt.rum.session.id\":\"s1\",\"id\":\"e1\",\"start_time\":\"2026-11-25T10:00:00Z\",\"characteristics.has_navigation\":true}",
        "{\"dt.rum.session.id\":\"s1\",\"id\":\"e2\",\"start_time\":\"2026-11-25T10:01:00Z\",\"characteristics.has_user_interaction\":true}",
        "{\"dt.rum.session.id\":\"s2\",\"id\":\"e3\",\"start_time\":\"2026-11-25T12:00:00Z\",\"characteristics.has_navigation\":true}");
    write(tmp.resolve("raw/date=2026-11-26/a.jsonl"),
        "{\"dt.rum.session.id\":\"s3\",\"id\":\"e4\",\"start_time\":\"2026-11-26T09:00:00Z\",\"characteristics.has_navigation\":true}",
        "{\"dt.rum.session.id\":\"s4\",\"id\":\"e5\",\"start_time\":\"2026-11-26T18:00:00Z\",\"characteristics.has_navigation\":true}");
    config = tmp.resolve("rum.yaml");
    write(config,
        "input: {path: " + tmp.resolve("raw") + "}",
        "warehouse: {path: " + tmp.resolve("warehouse") + "}",
        "spark:",
        "  master: local[1]",
        "  conf: {spark.sql.shuffle.partitions: \"2\", spark.ui.enabled: \"false\", spark.driver.host: 127.0.0.1}");
    for (int run = 0; run < 2; run++) {
      assertEquals(0, RumSessions.execute("sessionize", "--config", config.toString(), "--from", "2026-11-25", "--to", "2026-11-26"));
    }
    countsBefore = counts();
  }

  @Test
  @Order(1)
  void refusesAShortRetentionWithoutForce() throws IOException {
    long commits = commits();
    assertEquals(ExitCode.USAGE, RumSessions.execute("maintain", "--config", config.toString(), "--retention", "24h"));
    assertEquals(commits, commits(), "a refused run must not touch the tables");
  }

  @Test
  @Order(2)
  void dryRunListsWhatVacuumWouldDeleteAndChangesNothing() throws IOException {
    long commits = commits();
    long files = dataFiles("user_sessions");
    String out = stdout("maintain", "--config", config.toString(), "--retention", "0h", "--force", "--dry-run");
    assertTrue(out.contains("(dry run: nothing changed)"), out);
    // The first run's two session files were replaced by the second run's.
    assertTrue(out.contains("retain 0h: would delete 2 files"), out);
    assertEquals(commits, commits());
    assertEquals(files, dataFiles("user_sessions"));
  }

  @Test
  @Order(3)
  void compactsZOrdersAndVacuumsKeepingTheRows() throws IOException {
    String out = stdout("maintain", "--config", config.toString(), "--retention", "0h", "--force", "--all-partitions");
    assertTrue(out.contains("user_sessions\n  optimize       z-order by dt.rum.session.id: 2 files removed, 2 added"), out);
    // One small file per run: compaction makes one of the two.
    assertTrue(out.contains("pipeline_runs\n  optimize       compaction: 2 files removed, 1 added"), out);
    assertTrue(out.contains("active files   2 -> 1"), out);
    // Retention 0h: only the files of the current version are left on storage.
    assertEquals(2, dataFiles("user_sessions"));
    assertEquals(2, dataFiles("user_events"));
    assertEquals(1, dataFiles("pipeline_runs"));
    assertEquals(countsBefore, counts(), "maintenance must not change the rows");
  }

  private static String counts() {
    return stdout("sql", "--config", config.toString(), "--format", "csv",
        "SELECT (SELECT count(*) FROM user_sessions) AS sessions, (SELECT count(*) FROM user_events) AS events,"
            + " (SELECT count(*) FROM pipeline_runs) AS runs");
  }

  /** Runs the command line in this JVM and returns what it printed on standard output. */
  private static String stdout(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = RumSessions.execute(args);
    } finally {
      System.setOut(original);
    }
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, String.join(" ", args) + " failed; it printed:\n" + out);
    return out;
  }

  private static long dataFiles(String table) throws IOException {
    try (Stream<Path> s = Files.walk(tmp.resolve("warehouse").resolve(table))) {
      return s.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
    }
  }

  private static long commits() throws IOException {
    long n = 0;
    for (String table : new String[] {"user_sessions", "user_events", "rejected_events", "pipeline_runs"}) {
      try (Stream<Path> s = Files.list(tmp.resolve("warehouse").resolve(table).resolve("_delta_log"))) {
        n += s.filter(p -> p.toString().endsWith(".json")).count();
      }
    }
    return n;
  }

  private static void write(Path file, String... lines) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }
}
