package org.rumsessions.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sha2;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.common.DateRange;
import org.rumsessions.common.Version;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.config.TagKey;
import org.rumsessions.normalize.EventFields;
import org.rumsessions.normalize.ParsedEvents;
import org.rumsessions.normalize.PersonalData;
import org.rumsessions.normalize.Tombstones;
import org.rumsessions.tables.ForgottenTable;
import org.rumsessions.tables.PipelineRunsTable;
import org.rumsessions.tables.Tables;
import org.rumsessions.write.DeltaTables;
import org.rumsessions.write.RunIntent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases a person, by user tag or by session id, from every table and every date, and leaves a
 * tombstone that every later sessionize run applies, so that rerunning old dates from the raw input
 * does not bring them back (data model, section 6).
 *
 * <p>A user tag is looked for as received (tables written with {@code privacy.user-tag: keep}) and
 * in its hashed form under every key the configuration knows ({@code hash}); every session id with
 * the tag on any of its rows goes, with all its events. Rejected records go when any value in them
 * is the tag, its hashed form or one of those session ids.
 *
 * <p>No personal value enters a Spark expression: rows are matched by the SHA-256 of their values
 * ({@code sha2}), so that Delta's commit history, which records each DELETE's condition, holds
 * hashes only. The deletes and the tombstones are one multi-table write through the same machinery
 * as a sessionize run ({@link TableWrites}): a forget that dies half-way is rolled back by the next
 * command, and can be run again.
 */
public final class ForgetJob {
  private static final Logger LOG = LoggerFactory.getLogger(ForgetJob.class);
  private static final String HASH = "h";
  private static final String KEY_ID = "key_id";

  /** What identifies the person. */
  public enum By {
    USER_TAG("user tag"),
    SESSION_ID("session id");

    private final String label;

    By(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** The person to forget. The value is personal data: {@link #toString()} never shows it. */
  public record Person(By by, String value) {
    public Person {
      if (by == null || value == null || value.isEmpty()) {
        throw new IllegalArgumentException("a user tag or session id is needed");
      }
    }

    @Override
    public String toString() {
      return by.label() + " given on the command line";
    }
  }

  /** What a forget deleted (or, dry, would delete) and recorded. */
  public record Result(
      String runId,
      Person person,
      boolean dryRun,
      long sessions,
      long events,
      long rejected,
      int sessionIds,
      int tombstones,
      Set<String> unknownKeyIds,
      Instant startedAt,
      Instant endedAt) {

    /** The command's report: counts only, never the values it looked for. */
    public String report() {
      String verb = dryRun ? "would delete" : "deleted";
      StringBuilder b = new StringBuilder();
      b.append(String.format("rum-sessions forget  %s  (%s)%n", dryRun ? "dry run: nothing changed" : "run " + runId, person));
      b.append(String.format("  sessions found          %,d session id(s)%n", sessionIds));
      b.append(String.format("  user_sessions           %s %,d row(s)%n", verb, sessions));
      b.append(String.format("  user_events             %s %,d row(s)%n", verb, events));
      b.append(String.format("  rejected_events         %s %,d row(s)%n", verb, rejected));
      b.append(String.format("  forgotten               %s %,d tombstone(s)%n", dryRun ? "would record" : "recorded", tombstones));
      if (!unknownKeyIds.isEmpty()) {
        b.append(String.format(
            "  warning                 user tags hashed under key id(s) %s are in user_sessions, and no configured key has"
                + " that id: such rows cannot be matched; name the old keys in privacy.user-tag-previous-key-envs%n",
            String.join(", ", unknownKeyIds)));
      }
      b.append(String.format("  seconds                 %.1f%n", (endedAt.toEpochMilli() - startedAt.toEpochMilli()) / 1000.0));
      if (!dryRun) {
        b.append("  The rows are gone from the tables' current versions; their files stay on storage until VACUUM"
            + " (README, \"Privacy\"). The raw input is yours to delete.\n");
      }
      return b.toString();
    }
  }

  private final SparkSession spark;
  private final PipelineConfig config;
  private final DeltaTables tables;

  public ForgetJob(SparkSession spark, PipelineConfig config) {
    this.spark = spark;
    this.config = config;
    this.tables = new DeltaTables(spark, config.warehouse().path());
  }

  /** The tombstones of the warehouse: none (at no cost) when forget never ran there. */
  public static Tombstones tombstones(DeltaTables tables) {
    if (!tables.exists(Tables.FORGOTTEN)) {
      return Tombstones.NONE;
    }
    Set<String> sessionIds = new HashSet<>();
    Set<String> userTags = new HashSet<>();
    for (Row r : tables.read(Tables.FORGOTTEN).select(col(ForgottenTable.KIND), col(ForgottenTable.VALUE_SHA256)).distinct().collectAsList()) {
      (ForgottenTable.USER_TAG.equals(r.getString(0)) ? userTags : sessionIds).add(r.getString(1));
    }
    return new Tombstones(sessionIds, userTags);
  }

  public Result run(Person person, boolean dryRun) {
    Instant startedAt = Instant.now();
    String runId = SessionizeJob.newRunId(startedAt);
    LOG.info("forget {}: by {}{}", runId, person.by().label(), dryRun ? " (dry run)" : "");

    // The person's values, hashed: what rows and rejected records are matched by.
    String valueHash = PersonalData.sha256(person.value());
    Set<String> needles = new HashSet<>(Set.of(valueHash));
    List<String> hashedTags = new ArrayList<>();
    if (person.by() == By.USER_TAG) {
      for (TagKey k : config.privacy().allKeys()) {
        String h = PersonalData.hashedTag(k, person.value());
        hashedTags.add(h);
        needles.add(PersonalData.sha256(h));
      }
    }
    Column rowOfPerson =
        person.by() == By.SESSION_ID
            ? sha2(col(EventFields.SESSION_ID), 256).equalTo(lit(valueHash))
            : tagMatches(col(EventFields.USER_TAG), valueHash, hashedTags);

    Set<String> sessionIds = new TreeSet<>();
    if (person.by() == By.SESSION_ID) {
      sessionIds.add(valueHash);
    }
    for (var t : List.of(Tables.SESSIONS, Tables.EVENTS)) {
      if (tables.exists(t)) {
        for (Row r : tables.read(t).where(rowOfPerson).select(sha2(col(EventFields.SESSION_ID), 256)).distinct().collectAsList()) {
          sessionIds.add(r.getString(0));
        }
      }
    }
    needles.addAll(sessionIds);
    Set<String> unknownKeyIds = person.by() == By.USER_TAG ? unknownKeyIds() : Set.of();

    Column ofSessions = sha2(col(EventFields.SESSION_ID), 256).isin(sessionIds.toArray());
    Column ofRejected = rejectedCondition(Set.copyOf(needles));
    List<Row> newTombstones = newTombstones(person, valueHash, sessionIds, runId, startedAt);

    AtomicLong sessions = new AtomicLong();
    AtomicLong events = new AtomicLong();
    AtomicLong rejected = new AtomicLong();
    if (dryRun) {
      sessions.set(count(Tables.SESSIONS, ofSessions, sessionIds));
      events.set(count(Tables.EVENTS, ofSessions, sessionIds));
      rejected.set(ofRejected == null ? 0 : tables.read(Tables.REJECTED).where(ofRejected).count());
      return new Result(runId, person, true, sessions.get(), events.get(), rejected.get(), sessionIds.size(), newTombstones.size(),
          unknownKeyIds, startedAt, Instant.now());
    }

    TableWrites writes = new TableWrites(tables);
    if (!sessionIds.isEmpty() && tables.exists(Tables.SESSIONS)) {
      writes.add(Tables.SESSIONS, () -> sessions.set(tables.delete(Tables.SESSIONS, ofSessions)));
    }
    if (!sessionIds.isEmpty() && tables.exists(Tables.EVENTS)) {
      writes.add(Tables.EVENTS, () -> events.set(tables.delete(Tables.EVENTS, ofSessions)));
    }
    if (ofRejected != null) {
      writes.add(Tables.REJECTED, () -> rejected.set(tables.delete(Tables.REJECTED, ofRejected)));
    }
    if (!newTombstones.isEmpty()) {
      writes.add(
          Tables.FORGOTTEN,
          () -> tables.append(Tables.FORGOTTEN, spark.createDataFrame(newTombstones, ForgottenTable.SPEC.schema())));
    }
    if (writes.isEmpty()) {
      // Found nowhere and forgotten before: there is nothing to change.
      return new Result(runId, person, false, 0, 0, 0, sessionIds.size(), 0, unknownKeyIds, startedAt, Instant.now());
    }
    writes.begin(new RunIntent.Draft(runId, "forget", null, "forget", startedAt), Tables.RUNS);
    writes.run(startedAt);
    Result result =
        new Result(runId, person, false, sessions.get(), events.get(), rejected.get(), sessionIds.size(), newTombstones.size(),
            unknownKeyIds, startedAt, Instant.now());
    writes.then(Tables.RUNS, () -> tables.append(Tables.RUNS, runRow(result)));
    writes.finish();
    LOG.info("forget {}: done", runId);
    return result;
  }

  /** A user tag column that holds the tag as received, or hashed under one of the keys. */
  private static Column tagMatches(Column tag, String valueHash, List<String> hashedTags) {
    Column m = sha2(tag, 256).equalTo(lit(valueHash));
    return hashedTags.isEmpty() ? m : m.or(tag.isin(hashedTags.toArray()));
  }

  private long count(org.rumsessions.tables.TableSpec t, Column condition, Set<String> sessionIds) {
    return sessionIds.isEmpty() || !tables.exists(t) ? 0 : tables.read(t).where(condition).count();
  }

  /**
   * The rejected records of the person: those with any value whose SHA-256 is one of {@code
   * needles}, found on the executors, then named in the delete by the hash of their text and their
   * dates. Null when there are none.
   */
  private Column rejectedCondition(Set<String> needles) {
    if (!tables.exists(Tables.REJECTED)) {
      return null;
    }
    FilterFunction<Row> mentions = r -> PersonalData.mentions(r.getString(0), needles);
    Set<String> hashes = new TreeSet<>();
    Set<LocalDate> dates = new TreeSet<>();
    for (Row r : tables.read(Tables.REJECTED)
        .select(col(ParsedEvents.RAW), col(DateRange.DATE))
        .filter(mentions)
        .select(sha2(col(ParsedEvents.RAW), 256).as(HASH), col(DateRange.DATE))
        .distinct()
        .collectAsList()) {
      hashes.add(r.getString(0));
      if (!r.isNullAt(1)) {
        dates.add(r.getDate(1).toLocalDate());
      }
    }
    if (hashes.isEmpty()) {
      return null;
    }
    Column inDates = dates.isEmpty() ? lit(true) : col(DateRange.DATE).isin(dates.stream().map(java.sql.Date::valueOf).toArray());
    return inDates.and(sha2(col(ParsedEvents.RAW), 256).isin(hashes.toArray()));
  }

  /** Key ids of hashed tags in user_sessions that no configured key has: tags this forget cannot match. */
  private Set<String> unknownKeyIds() {
    if (!tables.exists(Tables.SESSIONS)) {
      return Set.of();
    }
    Set<String> known = new HashSet<>();
    config.privacy().allKeys().forEach(k -> known.add(k.id()));
    Set<String> unknown = new TreeSet<>();
    for (Row r : tables.read(Tables.SESSIONS)
        .select(regexp_extract(col(EventFields.USER_TAG), "^([0-9a-f]{8}):[0-9a-f]{64}$", 1).as(KEY_ID))
        .where(col(KEY_ID).notEqual(lit("")))
        .distinct()
        .collectAsList()) {
      if (!known.contains(r.getString(0))) {
        unknown.add(r.getString(0));
      }
    }
    return unknown;
  }

  /** Tombstones for the person and for each session id found, except those recorded before. */
  private List<Row> newTombstones(Person person, String valueHash, Set<String> sessionIds, String runId, Instant at) {
    Tombstones known = tombstones(tables);
    List<Row> rows = new ArrayList<>();
    Timestamp when = Timestamp.from(at);
    if (person.by() == By.USER_TAG && !known.userTags().contains(valueHash)) {
      rows.add(tombstone(ForgottenTable.USER_TAG, valueHash, when, runId));
    }
    for (String h : sessionIds) {
      if (!known.sessionIds().contains(h)) {
        rows.add(tombstone(ForgottenTable.SESSION_ID, h, when, runId));
      }
    }
    return rows;
  }

  private static Row tombstone(String kind, String hash, Timestamp when, String runId) {
    Map<String, Object> v = new HashMap<>();
    v.put(ForgottenTable.KIND, kind);
    v.put(ForgottenTable.VALUE_SHA256, hash);
    v.put(ForgottenTable.FORGOTTEN_AT, when);
    v.put(PipelineRunsTable.RUN_ID, runId);
    return ForgottenTable.SPEC.row(v);
  }

  /** The forget's pipeline_runs row: no dates and no counts of input, what it did in {@code reason}. */
  private Dataset<Row> runRow(Result r) {
    Map<String, Object> v = new HashMap<>();
    v.put(PipelineRunsTable.RUN_ID, r.runId());
    v.put(PipelineRunsTable.STARTED_AT, Timestamp.from(r.startedAt()));
    v.put(PipelineRunsTable.ENDED_AT, Timestamp.from(Instant.now()));
    v.put(PipelineRunsTable.STATUS, PipelineRunsTable.SUCCEEDED);
    v.put(PipelineRunsTable.TRIGGER, "forget");
    v.put(
        PipelineRunsTable.REASON,
        String.format(
            "forget by %s: deleted %d user_sessions, %d user_events and %d rejected_events row(s) of %d session id(s); recorded %d tombstone(s)",
            r.person().by().label(), r.sessions(), r.events(), r.rejected(), r.sessionIds(), r.tombstones()));
    v.put(PipelineRunsTable.CONFIG, config.toJson());
    v.put(PipelineRunsTable.VERSION, Version.get());
    return spark.createDataFrame(List.of(PipelineRunsTable.SPEC.row(v)), PipelineRunsTable.SPEC.schema());
  }
}
