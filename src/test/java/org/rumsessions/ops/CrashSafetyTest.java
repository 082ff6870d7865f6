package org.rumsessions.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.rumsessions.testing.RawEvents.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.generate.GenerateJob;
import org.rumsessions.generate.GeneratorSpec;
import org.rumsessions.generate.OutputFormat;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.tables.Tables;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/**
 * A run is all or nothing for its readers, tested by really doing the bad thing to the real command
 * line: the run is stopped at a commit boundary (RUM_SESSIONS_PAUSE_AT) and killed with SIGKILL or
 * SIGTERM, its warehouse disk is filled, two runs go at once. After each, the next command on the
 * warehouse repairs it, and every table equals what runs that finished would have written.
 */
class CrashSafetyTest extends SparkTestBase {
  private static final Duration RUN = Duration.ofMinutes(5);
  private Path tmp;
  private Path input;
  private Path logs;

  @BeforeAll
  void generateInput() throws Exception {
    tmp = Files.createTempDirectory("crash-safety");
    logs = tmp.resolve("logs");
    input = tmp.resolve("raw");
    // Four days of realistic events (duplicates, corrupt lines, sessions over midnight).
    new GenerateJob(spark(), new GeneratorSpec(LocalDate.parse("2026-11-24"), 4, 40, 7, 0.01, OutputFormat.JSON), input.toString(), false).run();
  }

  @Test
  void aRunKilledAfterItsFirstCommitIsRolledBackByTheNextRunOnOtherDates() throws Exception {
    Path wh = tmp.resolve("wh-kill");
    Path raw = copyInput("kill");
    Path config = config(raw, wh);
    ok(cli(config, "sessionize", "--from", "2026-11-25", "--to", "2026-11-26"));
    Map<String, List<String>> before = content(wh);

    // New input for the 26th, then a rerun killed right after its user_events commit.
    lateFile(raw);
    Process killed = start("kill", config, "after-commit:user_events", "sessionize", "--from", "2026-11-25", "--to", "2026-11-26");
    awaitPause(killed, "kill");
    killed.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    Assertions.assertTrue(!before.get("user_events").equals(content(wh).get("user_events")), "the kill left user_events of the killed run");

    // The next run, over other dates, repairs first.
    Processes.Result next = cli(config, "sessionize", "--date", "2026-11-24");
    ok(next);
    Assertions.assertTrue(next.out().contains("did not finish"), next.out());
    Map<String, List<String>> after = content(wh);
    for (String table : List.of("user_sessions", "user_events", "rejected_events", "input_files")) {
      assertSameRows(table, without(before.get(table), "2026-11-24"), without(after.get(table), "2026-11-24"));
    }
    Assertions.assertEquals(List.of("rolled_back"), statuses(wh, "rolled_back"));

    // --changed trusts only finished runs' manifests: it sees the late file (and the 27th, read
    // only around ranges so far) and completes the work.
    ok(cli(config, "sessionize", "--changed"));
    assertSameTables(reference(raw, "2026-11-24", "2026-11-27"), withoutRunIds(content(wh)));
    Assertions.assertTrue(noRecordLeft(wh));
  }

  @Test
  void aFirstRunKilledBeforeItsRunRecordLeavesNoDataAfterRepair() throws Exception {
    Path wh = tmp.resolve("wh-first");
    Path config = config(input, wh);
    Process killed = start("first", config, "before-commit:pipeline_runs", "sessionize", "--from", "2026-11-25", "--to", "2026-11-26");
    awaitPause(killed, "first");
    killed.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    Assertions.assertFalse(content(wh).get("user_sessions").isEmpty(), "the kill left the data of an unrecorded run");

    Processes.Result sql = cli(config, "sql", "--format", "csv", "SELECT count(*) AS n FROM user_sessions");
    ok(sql);
    Assertions.assertEquals(List.of("n", "0"), sql.out().lines().toList(), "a first run that did not finish leaves no data");
    Assertions.assertTrue(sql.err().contains("did not finish"), sql.err());

    ok(cli(config, "sessionize", "--changed"));
    assertSameTables(reference(input, "2026-11-24", "2026-11-27"), withoutRunIds(content(wh)));
  }

  @Test
  void sigtermRollsBackBeforeExitingWithAPlainLastLine() throws Exception {
    Path wh = tmp.resolve("wh-term");
    Path raw = copyInput("term");
    Path config = config(raw, wh);
    ok(cli(config, "sessionize", "--date", "2026-11-26"));
    Map<String, List<String>> before = content(wh);
    lateFile(raw);
    Process stopped = start("term", config, "after-commit:user_events", "sessionize", "--date", "2026-11-26");
    awaitPause(stopped, "term");
    stopped.destroy();
    Assertions.assertTrue(stopped.waitFor(3, TimeUnit.MINUTES), "the stopped run ends by itself");
    Processes.Result r = Processes.read(logs, "term");
    Assertions.assertEquals(143, stopped.exitValue(), r.describe());
    String last = lastLine(r.err());
    Assertions.assertTrue(last.startsWith("rum-sessions: stopped by SIGTERM. Rolled back"), last);
    assertSameTables(before, content(wh));
    Assertions.assertTrue(noRecordLeft(wh));
  }

  @Test
  void sigtermAfterTheLastDataCommitStillRollsBack() throws Exception {
    // No Spark job is left to cancel here: the run must see the request itself before its record.
    Path wh = tmp.resolve("wh-term-late");
    Path raw = copyInput("term-late");
    Path config = config(raw, wh);
    ok(cli(config, "sessionize", "--date", "2026-11-26"));
    Map<String, List<String>> before = content(wh);
    lateFile(raw);
    Process stopped = start("term-late", config, "before-commit:pipeline_runs", "sessionize", "--date", "2026-11-26");
    awaitPause(stopped, "term-late");
    stopped.destroy();
    Assertions.assertTrue(stopped.waitFor(3, TimeUnit.MINUTES), "the stopped run ends by itself");
    Processes.Result r = Processes.read(logs, "term-late");
    Assertions.assertEquals(143, stopped.exitValue(), r.describe());
    String last = lastLine(r.err());
    Assertions.assertTrue(last.startsWith("rum-sessions: stopped by SIGTERM. Rolled back"), last);
    assertSameTables(before, content(wh));
    Assertions.assertTrue(noRecordLeft(wh));
  }

  @Test
  void aKillDuringDecodingWritesNothing() throws Exception {
    Path wh = tmp.resolve("wh-decode");
    Path config = config(input, wh);
    ok(cli(config, "sessionize", "--date", "2026-11-25"));
    Map<String, List<String>> before = content(wh);
    Process killed = start("decode", config, "before-writes", "sessionize", "--date", "2026-11-26");
    awaitPause(killed, "decode");
    killed.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    assertSameTables(before, content(wh));
    Assertions.assertTrue(noRecordLeft(wh));
  }

  @Test
  void aFullWarehouseDiskFailsTheRunAndLeavesTheTablesAsTheyWere() throws Exception {
    Path disk = tmp.resolve("small-disk");
    Files.createDirectories(disk);
    Assumptions.assumeTrue(mount(disk, "64m"), "mounting a tmpfs needs root (CI runs as root)");
    try {
      Path wh = disk.resolve("wh");
      Path raw = copyInput("full");
      Path config = config(raw, wh);
      ok(cli(config, "sessionize", "--date", "2026-11-25"));
      Map<String, List<String>> before = content(wh);
      // Fill the disk but for a little room: the 8 MiB a run keeps for its rollback, and enough
      // for Delta's log and the small tables, not for three days of events (zstd Parquet: one day
      // of this input's user_events is about 150 KB, so 800 KB held all three).
      Path filler = disk.resolve("filler");
      fill(filler, disk.toFile().getUsableSpace() - (8 << 20) - 250_000);

      Processes.Result r = cli(config, "sessionize", "--from", "2026-11-25", "--to", "2026-11-27");
      Assertions.assertEquals(1, r.exit(), r.describe());
      String last = lastLine(r.err());
      // Which of the side-by-side writes got in before the disk was full varies; what the line says
      // about them must be true, and nothing may be left half done.
      Assertions.assertTrue(last.startsWith("rum-sessions: run failed:") && last.contains("No space left on device"), last);
      Assertions.assertTrue((last.contains("Rolled back") || last.contains("No table had been changed")) && !last.contains("COULD NOT"), last);
      assertSameTables(before, content(wh));
      Assertions.assertEquals(List.of(), unreferencedDataFiles(wh), "the files the failed run wrote but never committed are gone");

      Files.delete(filler);
      ok(cli(config, "sessionize", "--from", "2026-11-25", "--to", "2026-11-27"));
      assertSameTables(reference(raw, "2026-11-25", "2026-11-27"), withoutRunIds(content(wh)));
    } finally {
      new ProcessBuilder("umount", disk.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoRunsAtOnce() throws Exception {
    // Other dates: both succeed, as one after the other would.
    Path wh = tmp.resolve("wh-together");
    Path config = config(input, wh);
    Process a = start("together-a", config, null, "sessionize", "--date", "2026-11-25");
    Process b = start("together-b", config, null, "sessionize", "--date", "2026-11-26");
    Assertions.assertTrue(a.waitFor(5, TimeUnit.MINUTES) && b.waitFor(5, TimeUnit.MINUTES));
    Assertions.assertEquals(0, a.exitValue(), Processes.read(logs, "together-a").describe());
    Assertions.assertEquals(0, b.exitValue(), Processes.read(logs, "together-b").describe());
    assertSameTables(reference(input, "2026-11-25", "2026-11-26"), withoutRunIds(content(wh)));

    // The same dates: the first to claim them wins, the other writes nothing and says who holds
    // them (were both to reach their commits, each could win one table and both would fail).
    Path same = tmp.resolve("wh-same");
    Path sameConfig = config(input, same);
    Process c = start("same-c", sameConfig, null, "sessionize", "--date", "2026-11-26");
    Process d = start("same-d", sameConfig, null, "sessionize", "--date", "2026-11-26");
    Assertions.assertTrue(c.waitFor(5, TimeUnit.MINUTES) && d.waitFor(5, TimeUnit.MINUTES));
    List<Integer> codes = new ArrayList<>(List.of(c.exitValue(), d.exitValue()));
    codes.sort(null);
    if (codes.get(1) != 0) {
      Processes.Result loser = Processes.read(logs, c.exitValue() == 0 ? "same-d" : "same-c");
      String last = lastLine(loser.err());
      Assertions.assertTrue(last.startsWith("rum-sessions: run failed:") && last.contains("another run, "), loser.describe());
      Assertions.assertTrue(last.contains("No data was written"), last);
    }
    Assertions.assertEquals(0, (int) codes.get(0), "at least one of them wins");
    assertSameTables(reference(input, "2026-11-26", "2026-11-26"), withoutRunIds(content(same)));
    Assertions.assertTrue(noRecordLeft(same));

    // Without the race: a run holds the 26th between two of its commits; another run of it writes
    // nothing. Then the holder dies, and its claim does not keep the next run out.
    Process holder = start("holder", sameConfig, "after-commit:user_events", "sessionize", "--date", "2026-11-26");
    awaitPause(holder, "holder");
    Processes.Result refused = cli(sameConfig, "sessionize", "--from", "2026-11-26", "--to", "2026-11-27");
    Assertions.assertEquals(1, refused.exit(), refused.describe());
    String last = lastLine(refused.err());
    Assertions.assertTrue(last.startsWith("rum-sessions: run failed:") && last.contains("another run, ") && last.contains("No data was written"), last);
    holder.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    ok(cli(sameConfig, "sessionize", "--date", "2026-11-26"));
    assertSameTables(reference(input, "2026-11-26", "2026-11-26"), withoutRunIds(content(same)));
    Assertions.assertTrue(noRecordLeft(same));
  }

  // --- the command line, for real

  private Path config(Path raw, Path wh) throws IOException {
    Path f = tmp.resolve("config-" + wh.getFileName() + ".yaml");
    Files.writeString(f, String.join("\n",
        "input: {path: " + raw + "}",
        "warehouse: {path: " + wh + "}",
        "quality: {max-rejected-fraction: 0.5}",
        "spark:",
        "  master: local[2]",
        "  conf: {spark.sql.shuffle.partitions: \"2\", spark.ui.enabled: \"false\"}",
        ""));
    return f;
  }

  private Process start(String name, Path config, String pauseAt, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Processes.ROOT.resolve("jobs/rum-sessions").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--config", config.toString()));
    Map<String, String> env = new LinkedHashMap<>(Map.of("RUM_SESSIONS_NO_BUILD", "1", "JAVA_OPTS", "-Xmx1g"));
    if (pauseAt != null) {
      env.put("RUM_SESSIONS_PAUSE_AT", pauseAt);
    }
    return Processes.builder(logs, name, env, cmd).start();
  }

  private Processes.Result cli(Path config, String... args) throws Exception {
    String name = "cli-" + System.nanoTime();
    Process p = start(name, config, null, args);
    if (!p.waitFor(RUN.toMinutes(), TimeUnit.MINUTES)) {
      Processes.stop(p);
      throw new AssertionError(name + " did not finish: " + Processes.read(logs, name).describe());
    }
    Processes.Result r = Processes.read(logs, name);
    return new Processes.Result(p.exitValue(), r.out(), r.err());
  }

  private void awaitPause(Process p, String name) throws Exception {
    long deadline = System.nanoTime() + RUN.toNanos();
    while (System.nanoTime() < deadline) {
      if (Processes.read(logs, name).err().contains("rum-sessions: paused at")) {
        return;
      }
      if (!p.isAlive()) {
        throw new AssertionError(name + " ended before its pause point: " + Processes.read(logs, name).describe());
      }
      Thread.sleep(200);
    }
    Processes.stop(p);
    throw new AssertionError(name + " never reached its pause point");
  }

  private static void ok(Processes.Result r) {
    Assertions.assertEquals(0, r.exit(), r.describe());
  }

  private static String lastLine(String text) {
    List<String> lines = text.strip().lines().toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  // --- the input

  private Path copyInput(String name) throws IOException {
    Path copy = tmp.resolve("raw-" + name);
    try (Stream<Path> files = Files.walk(input)) {
      for (Path p : files.toList()) {
        Path to = copy.resolve(input.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return copy;
  }

  /** A file that arrives late for the 26th: sessions of their own, so that a run over the 26th changes. */
  private static void lateFile(Path raw) {
    List<Object> late = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      late.add(event("late-" + (i % 4), "late-" + i, String.format("2026-11-26T12:%02d:00Z", i), "characteristics.has_navigation", true));
    }
    new RawEvents(raw).write("2026-11-26", "late.jsonl", late);
  }

  // --- the tables

  /** Every table's rows as sorted JSON text. */
  private Map<String, List<String>> content(Path wh) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (TableSpec t : Tables.ALL) {
      Path p = wh.resolve(t.name());
      m.put(t.name(), Files.isDirectory(p.resolve("_delta_log")) ? rows(spark().read().format("delta").load(p.toString())) : List.of());
    }
    return m;
  }

  private static List<String> rows(Dataset<Row> t, String... without) {
    List<Column> cols = new ArrayList<>();
    for (String c : t.columns()) {
      if (!Arrays.asList(without).contains(c)) {
        cols.add(col(c));
      }
    }
    List<String> rows = new ArrayList<>(t.select(to_json(struct(cols.toArray(Column[]::new)))).as(Encoders.STRING()).collectAsList());
    rows.sort(null);
    return rows;
  }

  /** Every data table without the columns that name a run, pipeline_runs as its succeeded ranges' counts. */
  private Map<String, List<String>> withoutRunIds(Map<String, List<String>> content) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    content.forEach((table, rows) -> m.put(table, table.equals("pipeline_runs") ? List.of() : rows.stream().map(r -> r.replaceAll("\"run_id\":\"[^\"]*\",?", "")).toList()));
    return m;
  }

  /** What runs that finished, one per date range, write for the same input: one run over [from, to]. */
  private Map<String, List<String>> reference(Path raw, String from, String to) {
    Path wh = tmp.resolve("reference-" + System.nanoTime());
    new Pipeline(spark(), raw, wh).with(new PipelineConfig.Quality(0.5)).run(from, to);
    return withoutRunIds(content(wh));
  }

  private static void assertSameTables(Map<String, List<String>> expected, Map<String, List<String>> actual) {
    Assertions.assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((table, rows) -> assertSameRows(table, rows, actual.get(table)));
  }

  /** Equal rows, or a short account of the difference (the tables are too large to print whole). */
  private static void assertSameRows(String table, List<String> expected, List<String> actual) {
    if (expected.equals(actual)) {
      return;
    }
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(actual);
    List<String> extra = new ArrayList<>(actual);
    extra.removeAll(expected);
    Assertions.fail(String.format(
        "%s: %d rows expected, %d found; %d missing, e.g. %s; %d unexpected, e.g. %s",
        table, expected.size(), actual.size(), missing.size(), shorten(missing), extra.size(), shorten(extra)));
  }

  private static String shorten(List<String> rows) {
    return rows.stream().limit(2).map(r -> r.length() > 400 ? r.substring(0, 400) + "..." : r).toList().toString();
  }

  private static List<String> without(List<String> rows, String date) {
    return rows.stream().filter(r -> !r.contains("\"date\":\"" + date + "\"")).toList();
  }

  private List<String> statuses(Path wh, String status) {
    return spark().read().format("delta").load(wh.resolve(PipelineRunsTable.SPEC.name()).toString())
        .where(col(PipelineRunsTable.STATUS).equalTo(status)).select(col(PipelineRunsTable.STATUS)).as(Encoders.STRING()).collectAsList();
  }

  /** No run's record and no claimed date is left in the warehouse. */
  private static boolean noRecordLeft(Path wh) throws IOException {
    Path dir = wh.resolve("_rum_sessions/in_progress");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.anyMatch(p -> p.getFileName().toString().endsWith(".json"))) {
          return false;
        }
      }
    }
    Path claims = wh.resolve("_rum_sessions/claims");
    if (Files.isDirectory(claims)) {
      try (Stream<Path> s = Files.list(claims)) {
        return s.noneMatch(p -> !p.getFileName().toString().startsWith("."));
      }
    }
    return true;
  }

  /** Data files under the tables that no commit of their log adds: what a cut-short write leaves. */
  private static List<String> unreferencedDataFiles(Path wh) throws IOException {
    List<String> out = new ArrayList<>();
    java.util.regex.Pattern added = java.util.regex.Pattern.compile("\\{\"add\":\\{\"path\":\"([^\"]+)\"");
    for (TableSpec t : Tables.ALL) {
      Path table = wh.resolve(t.name());
      if (!Files.isDirectory(table.resolve("_delta_log"))) {
        continue;
      }
      java.util.Set<String> referenced = new java.util.HashSet<>();
      try (Stream<Path> log = Files.list(table.resolve("_delta_log"))) {
        for (Path commit : log.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
          java.util.regex.Matcher m = added.matcher(Files.readString(commit));
          while (m.find()) {
            String p = java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8);
            referenced.add(p.substring(p.lastIndexOf('/') + 1));
          }
        }
      }
      try (Stream<Path> files = Files.walk(table)) {
        files.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
            .filter(p -> !referenced.contains(p.getFileName().toString()))
            .forEach(p -> out.add(wh.relativize(p).toString()));
      }
    }
    return out;
  }

  // --- a small disk

  private static boolean mount(Path dir, String size) throws Exception {
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()).redirectErrorStream(true).start();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static void fill(Path file, long bytes) throws IOException {
    byte[] block = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      long left = bytes;
      while (left > 0) {
        int n = (int) Math.min(block.length, left);
        out.write(block, 0, n);
        left -= n;
      }
    }
  }
}
