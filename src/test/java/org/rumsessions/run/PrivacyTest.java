package org.rumsessions.run;

import static org.apache.spark.sql.functions.col;
import static org.rumsessions.testing.RawEvents.event;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.ClientIpMode;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.config.TagKey;
import org.rumsessions.config.UserTagMode;
import org.rumsessions.normalize.PersonalData;
import org.rumsessions.tables.ForgottenTable;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.TableSpec;
import org.rumsessions.tables.Tables;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;
import org.rumsessions.write.DeltaTables;

/**
 * Personal data on real Spark and Delta (data model, section 6): what each privacy setting writes
 * to every table, rejected raw records included; forget by user tag and by session id, and a rerun
 * of the same dates from the raw input afterwards, which must not bring the person back.
 */
class PrivacyTest extends SparkTestBase {
  private static final String ALICE = "alice@example.com";
  private static final String BOB = "bob@example.com";
  private static final String DAVE = "dave@example.com";
  private static final List<String> CLEAR_IPS = List.of("203.0.113.7", "198.51.100.23", "2001:db8:aa:bb::1", "203.0.113.99");
  private static final TagKey KEY = TagKey.of("a test key of 32 bytes, not real");
  private static final TagKey OLD_KEY = TagKey.of("the key before the rotation");
  private static final String DAY = "2026-11-26";

  private Path tmp;
  private Path input;
  private final List<Object> aliceRecords = new ArrayList<>();
  private final List<Object> otherRecords = new ArrayList<>();

  @BeforeAll
  void writeInput() throws IOException {
    tmp = Files.createTempDirectory("privacy");
    input = tmp.resolve("raw");
    // sA is alice's; sM has her tag on one event only (its last tag, dave's, is the session's); a
    // duplicate, records rejected in both ways; bob's and the tag-less sessions stay.
    Map<String, Object> a2 = event("sA", "a2", DAY + "T10:05:00Z", "user.identifier", ALICE, "client.ip", "203.0.113.7");
    aliceRecords.addAll(List.of(
        event("sA", "a1", DAY + "T10:00:00Z", "dt.rum.user_tag", ALICE, "client.ip", "203.0.113.7", "characteristics.has_navigation", true),
        a2,
        a2,
        event("sM", "m1", DAY + "T11:00:00Z", "dt.rum.user_tag", ALICE, "characteristics.has_navigation", true),
        event("sM", "m2", DAY + "T11:10:00Z", "dt.rum.user_tag", DAVE),
        event("sM", "m3", DAY + "T11:20:00Z", "client.ip", "::ffff:203.0.113.99"),
        "{\"dt.rum.session.id\":\"sA\",\"client.ip\":\"203.0.113.7\",\"dt.rum.user_tag\":\"" + ALICE + "\"}",
        "{\"client.ip\":\"203.0.113.7\",\"dt.rum.user_tag\":\"" + ALICE + "\", broken",
        "{\"dt.rum.session.id\":\"sM\",\"start_time\":\"not a time\"}"));
    otherRecords.addAll(List.of(
        event("sB", "b1", DAY + "T10:00:00Z", "dt.rum.user_tag", BOB, "client.ip", "198.51.100.23", "characteristics.has_navigation", true),
        event("sB", "b2", DAY + "T10:10:00Z", "client.ip", "2001:db8:aa:bb::1"),
        // The latest end of the input, so the data horizon is the same with or without alice.
        event("sB", "b3", DAY + "T23:00:00Z"),
        event("sO", "o1", DAY + "T12:00:00Z", "client.ip", "not-an-ip", "characteristics.has_navigation", true),
        "{\"user.identifier\":\"" + BOB + "\",\"client.ip\":\"198.51.100.23\", broken"));
    List<Object> all = new ArrayList<>(aliceRecords);
    all.addAll(otherRecords);
    write(input, all);
  }

  private static void write(Path root, List<Object> records) {
    RawEvents raw = new RawEvents(root);
    raw.write(DAY, "a.jsonl", records);
    raw.emptyPartition("2026-11-25");
    raw.emptyPartition("2026-11-27");
  }

  private Pipeline pipeline(String name) {
    return new Pipeline(spark(), input, tmp.resolve(name)).with(new PipelineConfig.Quality(0.5));
  }

  private static PipelineConfig.Privacy privacy(ClientIpMode ip, UserTagMode tag, TagKey key, TagKey... previous) {
    return new PipelineConfig.Privacy(ip, tag, "RUM_USER_TAG_KEY", List.of(), key, List.of(previous));
  }

  @Test
  void byDefaultNoTableHoldsAClientAddressAsReceived() {
    Pipeline p = pipeline("wh-default");
    p.run(DAY, DAY);
    String everything = everyTable(p);
    CLEAR_IPS.forEach(ip -> Assertions.assertFalse(everything.contains(ip), ip + " is in a table"));

    Map<String, Object> ips = byId(p, "SELECT id, client.ip FROM user_events");
    Assertions.assertEquals("203.0.113.0", ips.get("a1"));
    Assertions.assertEquals("2001:db8:aa::", ips.get("b2"));
    Assertions.assertEquals("::ffff:203.0.113.0", ips.get("m3"));
    Assertions.assertNull(ips.get("o1"), "no address, nothing kept");
    Assertions.assertEquals("203.0.113.0", byId(p, "SELECT dt.rum.session.id, client.ip FROM user_sessions").get("sA"));
    Assertions.assertEquals(ALICE, byId(p, "SELECT dt.rum.session.id, dt.rum.user_tag FROM user_sessions").get("sA"), "tags are kept by default");

    List<String> rejected = strings(p, "SELECT raw_record FROM rejected_events ORDER BY raw_record");
    Assertions.assertTrue(rejected.contains("{\"dt.rum.session.id\":\"sA\",\"client.ip\":\"203.0.113.0\",\"dt.rum.user_tag\":\"" + ALICE + "\"}"), rejected.toString());
    Assertions.assertTrue(rejected.contains("{\"client.ip\":\"203.0.113.0\",\"dt.rum.user_tag\":\"" + ALICE + "\", broken"), rejected.toString());
    String config = strings(p, "SELECT config FROM pipeline_runs").get(0);
    Assertions.assertTrue(config.contains("\"client-ip\":\"mask\"") && config.contains("\"user-tag\":\"keep\""), config);
  }

  @Test
  void hashedTagsLeaveNoTagAsReceivedInAnyTableOrLog() throws IOException {
    Pipeline p = pipeline("wh-hash").with(privacy(ClientIpMode.MASK, UserTagMode.HASH, KEY));
    p.run(DAY, DAY);
    Assertions.assertFalse(everyTable(p).contains("@example.com"), "a tag as received is in a table");
    Assertions.assertFalse(deltaLogs(p).contains("@example.com"), "a tag as received is in a Delta log (statistics)");
    Map<String, Object> tags = byId(p, "SELECT dt.rum.session.id, dt.rum.user_tag FROM user_sessions");
    Assertions.assertEquals(PersonalData.hashedTag(KEY, ALICE), tags.get("sA"));
    Assertions.assertEquals(PersonalData.hashedTag(KEY, DAVE), tags.get("sM"), "the last tag of the session, hashed");
    Assertions.assertEquals(PersonalData.hashedTag(KEY, BOB), tags.get("sB"));
    Assertions.assertTrue(strings(p, "SELECT raw_record FROM rejected_events").stream().anyMatch(r -> r.contains(PersonalData.hashedTag(KEY, ALICE))));
    String config = strings(p, "SELECT config FROM pipeline_runs").get(0);
    Assertions.assertTrue(config.contains("\"user-tag-key-id\":\"" + KEY.id() + "\""), config);
  }

  @Test
  void droppedFieldsAreNullEverywhere() {
    Pipeline p = pipeline("wh-drop").with(privacy(ClientIpMode.DROP, UserTagMode.DROP, null));
    p.run(DAY, DAY);
    String everything = everyTable(p);
    Assertions.assertFalse(everything.contains("@example.com") || everything.contains("203.0.113.") || everything.contains("198.51.100."), everything);
    Assertions.assertEquals(List.of(), strings(p, "SELECT id FROM user_events WHERE client.ip IS NOT NULL OR dt.rum.user_tag IS NOT NULL"));
    Assertions.assertEquals(List.of(), strings(p, "SELECT dt.rum.session.id FROM user_sessions WHERE client.ip IS NOT NULL OR dt.rum.user_tag IS NOT NULL"));
  }

  @Test
  void forgetByUserTagErasesEverySessionWithTheTagAndARerunDoesNotBringItBack() throws IOException {
    Pipeline p = pipeline("wh-forget");
    p.run(DAY, DAY);
    Assertions.assertEquals(List.of("sA", "sB", "sM", "sO"), strings(p, "SELECT dt.rum.session.id FROM user_sessions ORDER BY 1"));

    ForgetJob.Result r = p.forget(ForgetJob.By.USER_TAG, ALICE, false);
    Assertions.assertEquals(2, r.sessionIds());
    Assertions.assertEquals(2, r.sessions());
    Assertions.assertEquals(5, r.events(), "a1, a2, m1, m2, m3");
    Assertions.assertEquals(3, r.rejected(), "the two records rejected with her tag, and sM's, found by its session id");
    Assertions.assertFalse(r.report().contains(ALICE) || r.toString().contains(ALICE), r.report());
    Assertions.assertTrue(r.report().contains("user tag given on the command line"), r.report());
    assertGone(p);
    Assertions.assertEquals(
        List.of(ForgottenTable.SESSION_ID + " " + PersonalData.sha256("sA"), ForgottenTable.SESSION_ID + " " + PersonalData.sha256("sM"),
            ForgottenTable.USER_TAG + " " + PersonalData.sha256(ALICE)),
        strings(p, "SELECT concat(kind, ' ', value_sha256) FROM forgotten ORDER BY 1"));
    List<Row> runs = p.sql("SELECT trigger, reason, from_date, config FROM pipeline_runs WHERE trigger = 'forget'");
    Assertions.assertEquals(1, runs.size());
    Assertions.assertFalse(runs.get(0).mkString().contains(ALICE));
    Assertions.assertNull(runs.get(0).get(2), "a forget has no dates");
    // Delta records each DELETE's condition in the table's history: hashes, never a value.
    String deletes = String.join("\n", deltaLogs(p).lines()
        .filter(l -> l.contains("\"operation\":\"DELETE\""))
        .map(l -> l.replaceAll(".*\"predicate\":(\"[^}]*)}.*", "$1"))
        .toList());
    Assertions.assertTrue(deletes.contains(PersonalData.sha256("sA")), "the DELETE names the session by its hash: " + deletes);
    // Hex has no capital A.
    Assertions.assertFalse(deletes.contains("sA") || deletes.contains(ALICE), "no value as received in a DELETE's condition: " + deletes);

    // The raw input still has her: the rerun drops her records, and counts them.
    RunCounts again = p.run(DAY, DAY);
    assertGone(p);
    Assertions.assertEquals(14, again.input().recordsRead());
    Assertions.assertEquals(9, again.input().recordsForgotten(), "every record of sA and sM, their duplicate and rejected records included");
    Assertions.assertEquals(1, again.input().recordsRejected());
    Assertions.assertEquals(0, again.input().duplicates());
    Assertions.assertEquals(4, again.input().eventsAccepted());
    Assertions.assertTrue(again.report().contains("forgotten               9"), again.report());
    Assertions.assertEquals(
        List.of(),
        strings(p, "SELECT run_id FROM pipeline_runs WHERE trigger <> 'forget' AND records_read <> records_rejected + duplicates + events_accepted + records_forgotten"));

    // What is left is what a run over input without her writes.
    Path without = tmp.resolve("raw-without-alice");
    write(without, otherRecords);
    Pipeline clean = new Pipeline(spark(), without, tmp.resolve("wh-never-had-alice")).with(new PipelineConfig.Quality(0.5));
    clean.run(DAY, DAY);
    for (String t : List.of("user_sessions", "user_events")) {
      Assertions.assertEquals(rows(clean.table(t)), rows(p.table(t)), t);
    }

    // Once more: nothing left to delete, nothing new to record.
    ForgetJob.Result twice = p.forget(ForgetJob.By.USER_TAG, ALICE, false);
    Assertions.assertEquals(List.of(0L, 0L, 0L, 0), List.of(twice.sessions(), twice.events(), twice.rejected(), twice.tombstones()));
  }

  private void assertGone(Pipeline p) {
    Assertions.assertEquals(List.of("sB", "sO"), strings(p, "SELECT dt.rum.session.id FROM user_sessions ORDER BY 1"));
    Assertions.assertEquals(List.of("sB", "sO"), strings(p, "SELECT DISTINCT dt.rum.session.id FROM user_events ORDER BY 1"));
    List<String> rejected = strings(p, "SELECT raw_record FROM rejected_events");
    Assertions.assertEquals(1, rejected.size(), rejected.toString());
    Assertions.assertTrue(rejected.get(0).contains(BOB));
    Assertions.assertFalse(everyTable(p).contains(ALICE));
  }

  @Test
  void forgetBySessionIdAndADryRunThatChangesNothing() {
    Pipeline p = pipeline("wh-session");
    p.run(DAY, DAY);
    DeltaTables tables = new DeltaTables(spark(), p.config().warehouse().path());
    Map<String, Long> before = versions(tables);
    ForgetJob.Result dry = p.forget(ForgetJob.By.SESSION_ID, "sM", true);
    Assertions.assertEquals(before, versions(tables), "a dry run commits nothing");
    Assertions.assertFalse(tables.exists(Tables.FORGOTTEN));
    Assertions.assertEquals(List.of(1L, 3L, 1L, 1), List.of(dry.sessions(), dry.events(), dry.rejected(), dry.tombstones()));

    ForgetJob.Result real = p.forget(ForgetJob.By.SESSION_ID, "sM", false);
    Assertions.assertEquals(List.of(dry.sessions(), dry.events(), dry.rejected(), dry.tombstones()),
        List.of(real.sessions(), real.events(), real.rejected(), real.tombstones()));
    Assertions.assertEquals(List.of("sA", "sB", "sO"), strings(p, "SELECT dt.rum.session.id FROM user_sessions ORDER BY 1"));
    p.run(DAY, DAY);
    Assertions.assertEquals(List.of("sA", "sB", "sO"), strings(p, "SELECT DISTINCT dt.rum.session.id FROM user_events ORDER BY 1"));
    Assertions.assertEquals(ALICE, byId(p, "SELECT dt.rum.session.id, dt.rum.user_tag FROM user_sessions").get("sA"), "only that session went");
  }

  @Test
  void forgetFindsHashedTagsUnderTheCurrentAndThePreviousKeys() {
    Pipeline p = pipeline("wh-rotated").with(privacy(ClientIpMode.MASK, UserTagMode.HASH, OLD_KEY));
    p.run(DAY, DAY);
    // The key was rotated, and the old one not named: nothing can be matched, and it says why.
    p.with(privacy(ClientIpMode.MASK, UserTagMode.HASH, KEY));
    ForgetJob.Result blind = p.forget(ForgetJob.By.USER_TAG, ALICE, false);
    Assertions.assertEquals(0, blind.sessionIds());
    Assertions.assertEquals(java.util.Set.of(OLD_KEY.id()), blind.unknownKeyIds());
    Assertions.assertTrue(blind.report().contains(OLD_KEY.id()) && blind.report().contains("privacy.user-tag-previous-key-envs"), blind.report());

    p.with(privacy(ClientIpMode.MASK, UserTagMode.HASH, KEY, OLD_KEY));
    ForgetJob.Result found = p.forget(ForgetJob.By.USER_TAG, ALICE, false);
    Assertions.assertEquals(List.of(2L, 5L, 3L), List.of(found.sessions(), found.events(), found.rejected()));
    Assertions.assertEquals(java.util.Set.of(), found.unknownKeyIds());
    Assertions.assertEquals(List.of("sB", "sO"), strings(p, "SELECT dt.rum.session.id FROM user_sessions ORDER BY 1"));
    // The tombstone is the tag's own hash: it holds under any key, and in keep mode.
    p.with(privacy(ClientIpMode.MASK, UserTagMode.KEEP, null));
    p.run(DAY, DAY);
    Assertions.assertEquals(List.of("sB", "sO"), strings(p, "SELECT dt.rum.session.id FROM user_sessions ORDER BY 1"));
  }

  @Test
  void aWarehouseFromBeforeGetsTheNewColumnOfPipelineRuns() {
    Path wh = tmp.resolve("wh-old");
    String runs = wh.resolve(PipelineRunsTable.SPEC.name()).toString();
    List<StructField> old = new ArrayList<>(Arrays.asList(PipelineRunsTable.SPEC.schema().fields()));
    old.removeIf(f -> f.name().equals(PipelineRunsTable.RECORDS_FORGOTTEN));
    DeltaTable.create(spark()).location(runs).addColumns(new org.apache.spark.sql.types.StructType(old.toArray(StructField[]::new))).execute();
    spark().sql("INSERT INTO delta.`" + runs + "` (run_id, status) VALUES ('old-run', 'succeeded')");

    Pipeline p = new Pipeline(spark(), input, wh).with(new PipelineConfig.Quality(0.5));
    p.run(DAY, DAY);
    Assertions.assertEquals(
        Arrays.asList("old-run null", "r 0"),
        strings(p, "SELECT concat(CASE WHEN run_id = 'old-run' THEN run_id ELSE 'r' END, ' ', coalesce(cast(records_forgotten AS string), 'null'))"
            + " FROM pipeline_runs ORDER BY started_at NULLS FIRST"));
    String comment = spark().sql("DESCRIBE TABLE delta.`" + runs + "`").where(col("col_name").equalTo(PipelineRunsTable.RECORDS_FORGOTTEN))
        .select("comment").head().getString(0);
    Assertions.assertEquals(PipelineRunsTable.SPEC.column(PipelineRunsTable.RECORDS_FORGOTTEN).comment(), comment);
  }

  // --- reading the warehouse

  /** Every row of every table, as JSON text. */
  private String everyTable(Pipeline p) {
    StringBuilder b = new StringBuilder();
    for (TableSpec t : Tables.ALL) {
      Path dir = Path.of(p.config().warehouse().path(), t.name());
      if (Files.isDirectory(dir.resolve("_delta_log"))) {
        p.table(t.name()).toJSON().collectAsList().forEach(r -> b.append(r).append('\n'));
      }
    }
    return b.toString();
  }

  /** The text of every table's Delta log: commits with their statistics and conditions. */
  private static String deltaLogs(Pipeline p) {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(Path.of(p.config().warehouse().path()))) {
      for (Path f : files.filter(f -> f.getParent().getFileName().toString().equals("_delta_log") && f.toString().endsWith(".json")).toList()) {
        b.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return b.toString();
  }

  private static Map<String, Object> byId(Pipeline p, String query) {
    Map<String, Object> m = new TreeMap<>();
    for (Row r : p.sql(query)) {
      m.put(r.getString(0), r.get(1));
    }
    return m;
  }

  private static List<String> strings(Pipeline p, String query) {
    return p.sql(query).stream().map(r -> r.isNullAt(0) ? null : r.get(0).toString()).toList();
  }

  private static List<String> rows(Dataset<Row> t) {
    Column[] cols = Arrays.stream(t.columns()).filter(c -> !c.equals("source_file")).map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    List<String> out = new ArrayList<>(t.select(cols).toJSON().collectAsList());
    out.sort(null);
    return out;
  }

  private static Map<String, Long> versions(DeltaTables tables) {
    Map<String, Long> m = new TreeMap<>();
    Tables.ALL.forEach(t -> m.put(t.name(), tables.version(t)));
    return m;
  }
}
