package org.rumsessions.ops;

import static org.rumsessions.testing.RawEvents.event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rumsessions.config.TagKey;
import org.rumsessions.normalize.PersonalData;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.tables.Tables;
import org.rumsessions.testing.RawEvents;

/**
 * Personal data through the command line as it is checked: jobs/rum-sessions with
 * {@code privacy.user-tag: hash}, its key in the environment, every table read back with
 * {@code sql --format json}, and every line any command printed (reports, logs, last lines) searched
 * for an address or a tag as received. Then forget, a forget killed half-way and repaired, and a
 * rerun of the same date from the raw input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrivacyEndToEndTest {
  private static final Duration RUN = Duration.ofMinutes(6);
  private static final String KEY = "end-to-end key; in production 32 random bytes";
  private static final String ALICE = "alice.e2e@example.org";
  private static final String BOB = "bob.e2e@example.org";
  private static final String CAROL = "carol.e2e@example.org";
  private static final String DAY = "2026-11-26";

  private Path tmp;
  private Path logs;
  private Path config;
  /** Everything every command printed, on either stream. */
  private final StringBuilder printed = new StringBuilder();

  @BeforeAll
  void writeInput() throws IOException {
    tmp = Files.createTempDirectory("privacy-e2e");
    logs = tmp.resolve("logs");
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    List<Object> day = new ArrayList<>();
    String[] tags = {ALICE, BOB, CAROL};
    for (int i = 0; i < 30; i++) {
      day.add(event("e2e-s" + (i % 3), "e" + i, String.format(DAY + "T10:%02d:00Z", i), "characteristics.has_navigation", true,
          "client.ip", "192.0.2." + (100 + i), "dt.rum.user_tag", tags[i % 3]));
    }
    day.add("{\"client.ip\":\"192.0.2.77\",\"dt.rum.user_tag\":\"" + ALICE + "\", not json");
    day.add("{\"dt.rum.session.id\":\"e2e-s1\",\"client.ip\":\"2001:db8:e2e:1::7\",\"user.identifier\":\"" + BOB + "\"}");
    // The latest end of the input: the data horizon, late enough that the three sessions are closed.
    day.add(event("e2e-late", "z", DAY + "T23:00:00Z"));
    raw.write(DAY, "a.jsonl", day);
    raw.emptyPartition("2026-11-25");
    raw.emptyPartition("2026-11-27");
    config = tmp.resolve("hash.yaml");
    Files.writeString(config, String.join("\n",
        "input: {path: " + tmp.resolve("raw") + "}",
        "warehouse: {path: " + tmp.resolve("wh") + "}",
        "quality: {max-rejected-fraction: 0.5}",
        "privacy: {user-tag: hash}",
        "spark:",
        "  master: local[2]",
        "  conf: {spark.sql.shuffle.partitions: \"2\", spark.ui.enabled: \"false\"}",
        ""));
  }

  @Test
  void hashedTagsMaskedAddressesAForgetThatSurvivesAKillAndARerun() throws Exception {
    Processes.Result noKey = cli(Map.of(), "sessionize", "--date", DAY);
    Assertions.assertEquals(2, noKey.exit(), noKey.describe());
    Assertions.assertTrue(
        lastLine(noKey.err()).contains("privacy.user-tag-key-env") && lastLine(noKey.err()).contains("RUM_USER_TAG_KEY"), noKey.describe());
    Assertions.assertFalse(Files.exists(tmp.resolve("wh")), "nothing was written");

    ok(cli(withKey(), "sessionize", "--date", DAY));
    String tables = everyTable();
    assertClean(tables);
    Assertions.assertTrue(tables.contains(PersonalData.hashedTag(TagKey.of(KEY), ALICE)), "the hashed tags are there");
    Assertions.assertTrue(tables.contains("\"ip\":\"192.0.2.0\"") && tables.contains("2001:db8:e2e::"), "the masked addresses are");

    // Dry, then for real (which finds all the dry run counted: it deleted nothing); then a forget
    // killed after its first commit, repaired by the next command.
    Processes.Result dry = cli(withKey(), "forget", "--user-tag", ALICE, "--dry-run");
    ok(dry);
    Assertions.assertTrue(dry.out().contains("user tag given on the command line"), dry.out());
    Processes.Result forget = cli(withKey(), "forget", "--user-tag", ALICE);
    ok(forget);
    for (String counted : List.of("user_sessions           %s 1 row(s)", "user_events             %s 10 row(s)", "rejected_events         %s 1 row(s)")) {
      Assertions.assertTrue(dry.out().contains(counted.formatted("would delete")), dry.out());
      Assertions.assertTrue(forget.out().contains(counted.formatted("deleted")), forget.out());
    }

    Process killed = start("killed-forget", Map.of("RUM_USER_TAG_KEY", KEY, "RUM_SESSIONS_PAUSE_AT", "after-commit:user_events"),
        "forget", "--user-tag", BOB);
    awaitPause(killed, "killed-forget");
    killed.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
    printed.append(Processes.read(logs, "killed-forget").out()).append(Processes.read(logs, "killed-forget").err());
    String repaired = everyTable();
    Assertions.assertTrue(repaired.contains(PersonalData.hashedTag(TagKey.of(KEY), BOB)), "the killed forget was rolled back");
    Assertions.assertFalse(repaired.contains(PersonalData.hashedTag(TagKey.of(KEY), ALICE)), "the finished one stays");
    ok(cli(withKey(), "forget", "--user-tag", BOB));

    // The raw input still has both: a rerun of the date must not bring them back.
    Processes.Result rerun = cli(withKey(), "sessionize", "--date", DAY);
    ok(rerun);
    Assertions.assertTrue(rerun.out().contains("forgotten               22"), rerun.out());
    String after = everyTable();
    assertClean(after);
    for (String gone : List.of(ALICE, BOB)) {
      Assertions.assertFalse(after.contains(PersonalData.hashedTag(TagKey.of(KEY), gone)), "forgotten, yet back after the rerun");
    }
    Assertions.assertTrue(after.contains(PersonalData.hashedTag(TagKey.of(KEY), CAROL)), "the others stay");

    // No command printed an address or a tag as received, in a report, a log line or a last line.
    assertClean(printed.toString());
  }

  private static void assertClean(String text) {
    for (String tag : List.of(ALICE, BOB, CAROL, "@example.org")) {
      Assertions.assertFalse(text.contains(tag), "a tag as received: " + tag);
    }
    Assertions.assertFalse(text.matches("(?s).*192\\.0\\.2\\.(?!0\\D)\\d+.*"), "an IPv4 address as received");
    Assertions.assertFalse(text.contains("2001:db8:e2e:1::7"), "an IPv6 address as received");
  }

  /** Every row of every table, as JSON Lines from the sql command. */
  private String everyTable() throws Exception {
    List<String> args = new ArrayList<>(List.of("sql", "--format", "json"));
    for (TableSpec t : Tables.ALL) {
      if (Files.isDirectory(tmp.resolve("wh").resolve(t.name()).resolve("_delta_log"))) {
        args.add("SELECT * FROM " + t.name());
      }
    }
    Processes.Result r = cli(withKey(), args.toArray(String[]::new));
    ok(r);
    return r.out();
  }

  private static Map<String, String> withKey() {
    return Map.of("RUM_USER_TAG_KEY", KEY);
  }

  private Processes.Result cli(Map<String, String> env, String... args) throws Exception {
    String name = "cli-" + System.nanoTime();
    Process p = start(name, env, args);
    if (!p.waitFor(RUN.toMinutes(), TimeUnit.MINUTES)) {
      Processes.stop(p);
      throw new AssertionError(name + " did not finish: " + Processes.read(logs, name).describe());
    }
    Processes.Result r = Processes.read(logs, name);
    printed.append(r.out()).append(r.err());
    return new Processes.Result(p.exitValue(), r.out(), r.err());
  }

  private Process start(String name, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Processes.ROOT.resolve("jobs/rum-sessions").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--config", config.toString()));
    Map<String, String> all = new LinkedHashMap<>(Map.of("RUM_SESSIONS_NO_BUILD", "1", "JAVA_OPTS", "-Xmx1g"));
    all.putAll(env);
    ProcessBuilder pb = Processes.builder(logs, name, all, cmd);
    // The key is only where the test puts it.
    if (!env.containsKey("RUM_USER_TAG_KEY")) {
      pb.environment().remove("RUM_USER_TAG_KEY");
    }
    return pb.start();
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
}
