package org.rumsessions.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.rumsessions.config.ConfigFlags;
import org.rumsessions.config.ConfigLoader;
import org.rumsessions.config.Needs;
import org.rumsessions.config.PipelineConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The DuckDB twin: the user_sessions rows of a run computed a second time, independently, in
 * DuckDB through JDBC, from the same JSON Lines files, and written to one Parquet file. It serves
 * two purposes: an equality test of the pipeline's session rules against a second implementation
 * ({@code DuckDbSessionsEqualityTest}), and a single-process baseline for the benchmark
 * ({@code jobs/bench}).
 *
 * <p>It does only what user_sessions needs: no user_events, rejected_events or run record, no
 * Delta. The driver is found through {@link DriverManager}; it is on the classpath only with the
 * Maven profile {@code bench}.
 *
 * <p>Where it can differ from the pipeline, all outside what the generator writes, is listed in
 * docs/performance.md: a field named twice in one record, id-less copies spelled differently,
 * decimal numbers as text, dotted property names in nested spelling, and non-ASCII whitespace.
 */
@Command(
    name = "duckdb-sessions",
    mixinStandardHelpOptions = true,
    description = "Compute user_sessions of a date range with DuckDB, as a second implementation of the session rules.")
public final class DuckDbSessions implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "The pipeline's configuration file (input and session sections)")
  Path config;

  @Option(names = "--from", required = true, description = "First date of the range (UTC)")
  LocalDate from;

  @Option(names = "--to", required = true, description = "Last date of the range (UTC), inclusive")
  LocalDate to;

  @Option(names = "--input", description = "Raw events folder; overrides input.path")
  Path input;

  @Option(names = "--out", required = true, description = "Folder for user_sessions.parquet")
  Path out;

  @Option(names = "--horizon", description = "Data horizon (ISO-8601 with zone); default: the latest end_time read")
  String horizon;

  @Option(names = "--threads", description = "DuckDB threads; default: all cores")
  Integer threads;

  /** What a run did, in the words of the pipeline's report. */
  public record Result(
      long recordsRead,
      Map<String, Long> rejectedByReason,
      long duplicates,
      long eventsAccepted,
      long sessionsWritten,
      long sessionsDeferred,
      long propertiesDropped,
      Path parquet,
      double seconds) {

    String report() {
      long rejected = rejectedByReason.values().stream().mapToLong(Long::longValue).sum();
      return String.format(
          "duckdb-sessions: records read %,d, rejected %,d %s, duplicates %,d, events %,d;%n"
              + "  sessions written %,d, deferred %,d, session properties dropped %,d; %s; %.1f s%n",
          recordsRead, rejected, rejectedByReason, duplicates, eventsAccepted, sessionsWritten,
          sessionsDeferred, propertiesDropped, parquet, seconds);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new DuckDbSessions()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PipelineConfig c =
        PipelineConfig.resolve(
            ConfigLoader.load(config), new ConfigFlags(input == null ? null : input.toString(), null, null), Needs.INPUT_AND_WAREHOUSE);
    Long horizonNs = horizon == null ? null : nanos(OffsetDateTime.parse(horizon).toInstant());
    Result r = run(c, from, to, out, horizonNs, threads);
    System.out.print(r.report());
    return 0;
  }

  /** Runs the twin over {@code [from, to]}; the input path and session rules come from the configuration. */
  public static Result run(
      PipelineConfig config, LocalDate from, LocalDate to, Path out, Long horizonNs, Integer threads)
      throws SQLException, java.io.IOException {
    long started = System.nanoTime();
    PipelineConfig.Session s = config.session();
    DuckDbSql.Rules rules =
        new DuckDbSql.Rules(
            s.timeout().toNanos(), s.maxDuration().toNanos(), s.maxProperties(),
            config.privacy().clientIp().label(), config.privacy().userTag().label());
    InputListing listing = InputListing.of(config, from, to);
    List<Path> files = listing.localPaths();
    DuckDbSql sql = new DuckDbSql(listing, rules);
    Files.createDirectories(out);
    Path parquet = out.resolve("user_sessions.parquet");

    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      // Session timestamps are written as instants; UTC keeps DuckDB from shifting them on the way.
      st.execute("SET TimeZone = 'UTC'");
      st.execute("SET preserve_insertion_order = false");
      st.execute("SET temp_directory = " + DuckDbSql.literal(out.resolve("duckdb-tmp").toString()));
      if (threads != null) {
        st.execute("SET threads = " + threads);
      }
      for (String macro : DuckDbMacros.statements()) {
        st.execute(macro);
      }
      if (files.isEmpty()) {
        throw new IllegalStateException("no input files for " + from + ".." + to + " under " + config.input().path());
      }
      phase(st, "decode " + files.size() + " files", sql.decode());

      Map<String, Long> byReason = new TreeMap<>();
      long read = 0;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT reason, count(*) FROM decoded WHERE " + sql.inRange("input_date") + " GROUP BY reason")) {
        while (rs.next()) {
          read += rs.getLong(2);
          if (rs.getString(1) != null) {
            byReason.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      phase(st, "rank copies", sql.rankCopies());
      st.execute("DROP TABLE decoded");

      long duplicates;
      long horizon;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FILTER (WHERE copy_rank > 1 AND " + sql.inRange("input_date") + "),"
                  + " max(end_ns) FILTER (WHERE copy_rank = 1) FROM events")) {
        rs.next();
        duplicates = rs.getLong(1);
        long latest = rs.getLong(2);
        horizon = horizonNs != null ? horizonNs : rs.wasNull() ? Long.MIN_VALUE : latest;
      }
      phase(st, "session rules", sql.assign());
      st.execute("DROP TABLE events");
      phase(st, "summaries", sql.summarize(horizon));
      st.execute("DROP TABLE assigned");

      long written;
      long deferred;
      long dropped;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT count(*) FILTER (WHERE closed), count(*) FILTER (WHERE NOT closed),"
                  + " coalesce(sum(properties_dropped) FILTER (WHERE closed), 0) FROM sessions WHERE "
                  + sql.inRange("date"))) {
        rs.next();
        written = rs.getLong(1);
        deferred = rs.getLong(2);
        dropped = rs.getLong(3);
      }
      Files.deleteIfExists(parquet);
      phase(st, "write Parquet", "COPY (" + sql.written() + ") TO " + DuckDbSql.literal(parquet.toString()) + " (FORMAT parquet)");

      long rejected = byReason.values().stream().mapToLong(Long::longValue).sum();
      return new Result(
          read, byReason, duplicates, read - rejected - duplicates, written, deferred, dropped, parquet,
          (System.nanoTime() - started) / 1e9);
    }
  }

  /** Runs one stage, logging its time to standard error (the report goes to standard output). */
  private static void phase(Statement st, String what, String statement) throws SQLException {
    long t0 = System.nanoTime();
    st.execute(statement);
    System.err.printf("duckdb-sessions: %s: %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
  }

  private static long nanos(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
  }
}
