package org.rumsessions.run;

import static org.rumsessions.testing.RawEvents.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.rumsessions.common.DateRange;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/** sessionize --changed: late files are picked up, and only the dates they can affect are recomputed. */
class ChangedInputTest extends SparkTestBase {

  private static List<DateRange> runChanged(Pipeline p, SessionizeJob job) {
    ChangedInput.Plan plan = new ChangedInput(p.table("user_events").sparkSession(), p.config()).plan();
    List<DateRange> ranges = plan.ranges();
    for (DateRange r : ranges) {
      job.run(r, Optional.empty(), "changed", plan.reason(r));
    }
    return ranges;
  }

  @Test
  void lateFilesRecomputeOnlyTheDatesTheyAffect() throws Exception {
    Path tmp = Files.createTempDirectory("changed");
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    for (String day : List.of("2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27")) {
      raw.write(day, "a.jsonl", List.of(
          event(day + "-a", day + "-1", day + "T09:00:00Z", "characteristics.has_navigation", true),
          event(day + "-b", day + "-2", day + "T15:00:00Z", "characteristics.has_navigation", true)));
    }
    Pipeline p = new Pipeline(spark(), raw.root(), tmp.resolve("wh"));
    SessionizeJob job = new SessionizeJob(spark(), p.config());
    p.run("2026-11-24", "2026-11-27");
    long runs = p.table("pipeline_runs").count();

    Assertions.assertEquals(List.of(), runChanged(p, job), "nothing new: nothing recomputed");
    Assertions.assertEquals(runs, p.table("pipeline_runs").count());

    // A late file for the 25th: one more event of an existing session, and a new session.
    raw.write("2026-11-25", "late.jsonl", List.of(
        event("2026-11-25-a", "late-1", "2026-11-25T09:10:00Z", "characteristics.has_user_interaction", true),
        event("new", "late-2", "2026-11-25T13:00:00Z", "characteristics.has_navigation", true)));
    List<DateRange> ranges = runChanged(p, job);
    Assertions.assertEquals(List.of(DateRange.of(LocalDate.parse("2026-11-25"))), ranges);
    Row a = p.sessions().get("2026-11-25-a");
    Assertions.assertEquals(2L, (long) a.getAs("event_count"));
    Assertions.assertTrue(p.sessions().containsKey("new"));
    Row last = p.sql("SELECT trigger, reason FROM pipeline_runs ORDER BY ended_at DESC LIMIT 1").get(0);
    Assertions.assertEquals("changed", last.getString(0));
    Assertions.assertTrue(last.getString(1).contains("new input files"), last.getString(1));

    Assertions.assertEquals(List.of(), runChanged(p, job), "a second --changed finds nothing new");

    // An event of the 26th that landed in the 27th's folder, for a session that started on the 26th.
    raw.write("2026-11-27", "late.jsonl", List.of(
        event("2026-11-26-b", "late-3", "2026-11-26T15:20:00Z", "characteristics.has_request", true)));
    List<DateRange> next = runChanged(p, job);
    Assertions.assertEquals(new ArrayList<>(List.of(new DateRange(LocalDate.parse("2026-11-26"), LocalDate.parse("2026-11-27")))), next);
    Assertions.assertEquals(2L, (long) p.sessions().get("2026-11-26-b").getAs("event_count"));
  }

  @Test
  void aRemovedFileWhoseNameNeedsEscapingRecomputesTheDatesOfItsEvents() throws Exception {
    Path tmp = Files.createTempDirectory("changed-names");
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    for (String day : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
      raw.write(day, "a.jsonl", List.of(event(day + "-a", day + "-1", day + "T09:00:00Z", "characteristics.has_navigation", true)));
    }
    // Spark reports source files URL-encoded (a%20b), listings name them as they are (a b): the
    // event that starts on the 26th is known only through its source file once the file is gone.
    Path spaced = raw.write("2026-11-27", "late arrival+1%.jsonl", List.of(
        event("midnight", "m-1", "2026-11-26T23:50:00Z", "characteristics.has_navigation", true)));
    Pipeline p = new Pipeline(spark(), raw.root(), tmp.resolve("wh"));
    SessionizeJob job = new SessionizeJob(spark(), p.config());
    p.run("2026-11-25", "2026-11-27");
    Assertions.assertTrue(p.sessions().containsKey("midnight"));

    Files.delete(spaced);
    List<DateRange> ranges = runChanged(p, job);
    Assertions.assertEquals(List.of(new DateRange(LocalDate.parse("2026-11-26"), LocalDate.parse("2026-11-27"))), ranges);
    Assertions.assertFalse(p.sessions().containsKey("midnight"), "the session of the removed file is gone");
  }
}
