package org.rumsessions.common;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a command's time goes: the wall time of each named phase, and what Spark's tasks did in it,
 * summed from Spark's own task metrics by a {@link SparkListener} (a public listener API, the same on
 * Spark 3 and 4): tasks, task time, bytes read from input, shuffled (written and read), spilled (from
 * memory and to disk) and written to tables.
 *
 * <p>A phase labels the Spark jobs started from its thread (and from the threads that thread starts
 * while the phase is open) through a local property of the Spark context, so phases that run side by
 * side, such as the table writes, are told apart. Jobs outside every phase are counted under
 * {@code other}.
 */
public final class SparkProfile {
  private static final Logger LOG = LoggerFactory.getLogger(SparkProfile.class);
  private static final String PHASE_PROPERTY = "rumsessions.phase";
  private static final String OTHER = "other";

  private final SparkSession spark;
  private final Map<Integer, String> phaseOfStage = new ConcurrentHashMap<>();
  private final Map<String, Phase> phases = new LinkedHashMap<>();
  private final Map<Integer, Phase> stages = new ConcurrentHashMap<>();

  /** One phase's wall time and the sums of its tasks' metrics. */
  public static final class Phase {
    final String name;
    double wallSeconds;
    long jobs;
    long tasks;
    long taskMillis;
    long cpuNanos;
    long gcMillis;
    long inputBytes;
    long shuffleWriteBytes;
    long shuffleReadBytes;
    long spillMemoryBytes;
    long spillDiskBytes;
    long outputBytes;

    Phase(String name) {
      this.name = name;
    }

    public String name() {
      return name;
    }

    public double wallSeconds() {
      return wallSeconds;
    }

    public long tasks() {
      return tasks;
    }

    public long shuffleWriteBytes() {
      return shuffleWriteBytes;
    }

    public long spillDiskBytes() {
      return spillDiskBytes;
    }

    synchronized void add(TaskMetrics m) {
      tasks++;
      taskMillis += m.executorRunTime();
      cpuNanos += m.executorCpuTime();
      gcMillis += m.jvmGCTime();
      inputBytes += m.inputMetrics().bytesRead();
      shuffleWriteBytes += m.shuffleWriteMetrics().bytesWritten();
      shuffleReadBytes += m.shuffleReadMetrics().totalBytesRead();
      spillMemoryBytes += m.memoryBytesSpilled();
      spillDiskBytes += m.diskBytesSpilled();
      outputBytes += m.outputMetrics().bytesWritten();
    }

    synchronized String line() {
      return String.format(
          "%-28s %8.1f %6d %7d %8.1f %8.1f %7.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f",
          name, wallSeconds, jobs, tasks, taskMillis / 1000.0, cpuNanos / 1e9, gcMillis / 1000.0, mb(inputBytes), mb(shuffleWriteBytes),
          mb(shuffleReadBytes), mb(spillMemoryBytes), mb(spillDiskBytes), mb(outputBytes));
    }
  }

  /** An open phase: closing it records its wall time and stops labelling the thread's jobs with it. */
  public final class Open implements AutoCloseable {
    private final Phase phase;
    private final String previous;
    private final long startNanos = System.nanoTime();

    private Open(Phase phase, String previous) {
      this.phase = phase;
      this.previous = previous;
    }

    @Override
    public void close() {
      double s = (System.nanoTime() - startNanos) / 1e9;
      synchronized (phase) {
        phase.wallSeconds += s;
      }
      spark.sparkContext().setLocalProperty(PHASE_PROPERTY, previous);
      LOG.info("phase {}: {} s", phase.name, String.format("%.1f", s));
    }
  }

  private SparkProfile(SparkSession spark) {
    this.spark = spark;
  }

  /** Phase times only, no task metrics: what a run uses that nobody profiles (tests). */
  public static SparkProfile timesOnly(SparkSession spark) {
    return new SparkProfile(spark);
  }

  /** A profile of the session's jobs from now on. */
  public static SparkProfile attach(SparkSession spark) {
    SparkProfile p = new SparkProfile(spark);
    spark.sparkContext().addSparkListener(p.new Listener());
    return p;
  }

  /** Seconds from the start of the JVM to now: what starting the command and Spark took so far. */
  public static double secondsSinceJvmStart() {
    return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
  }

  /** Records a phase that ran before the profile could (such as starting Spark). */
  public void record(String name, double wallSeconds) {
    Phase p = named(name);
    synchronized (p) {
      p.wallSeconds += wallSeconds;
    }
  }

  /** Opens a phase on the current thread; phases of the same name add up. */
  public Open phase(String name) {
    String previous = spark.sparkContext().getLocalProperty(PHASE_PROPERTY);
    spark.sparkContext().setLocalProperty(PHASE_PROPERTY, name);
    return new Open(named(name), previous);
  }

  private Phase named(String name) {
    synchronized (phases) {
      return phases.computeIfAbsent(name, Phase::new);
    }
  }

  /** The phases in the order they were first opened, {@code other} last. */
  public List<Phase> phases() {
    synchronized (phases) {
      List<Phase> list = new ArrayList<>();
      phases.values().stream().filter(p -> !p.name.equals(OTHER)).forEach(list::add);
      if (phases.containsKey(OTHER)) {
        list.add(phases.get(OTHER));
      }
      return list;
    }
  }

  /** The profile as a table: one line a phase, then the totals of its tasks. */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(
        "%-28s %8s %6s %7s %8s %8s %7s %9s %9s %9s %9s %9s %9s%n",
        "phase", "wall_s", "jobs", "tasks", "task_s", "cpu_s", "gc_s", "input_mb", "shuf_w_mb", "shuf_r_mb", "spill_mem", "spill_disk",
        "output_mb"));
    Phase total = new Phase("total (tasks)");
    for (Phase p : phases()) {
      b.append(p.line()).append(System.lineSeparator());
      synchronized (p) {
        total.jobs += p.jobs;
        total.tasks += p.tasks;
        total.taskMillis += p.taskMillis;
        total.cpuNanos += p.cpuNanos;
        total.gcMillis += p.gcMillis;
        total.inputBytes += p.inputBytes;
        total.shuffleWriteBytes += p.shuffleWriteBytes;
        total.shuffleReadBytes += p.shuffleReadBytes;
        total.spillMemoryBytes += p.spillMemoryBytes;
        total.spillDiskBytes += p.spillDiskBytes;
        total.outputBytes += p.outputBytes;
      }
    }
    total.wallSeconds = Double.NaN;
    b.append(total.line().replace("NaN", "   "));
    b.append(System.lineSeparator());
    return b.toString();
  }

  /** Every stage's tasks, phase by phase: where within a phase the time went. */
  public String stageTable() {
    StringBuilder b = new StringBuilder();
    for (Phase p : phases()) {
      stages.entrySet().stream()
          .filter(e -> p.name.equals(phaseOfStage.get(e.getKey())))
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> b.append(e.getValue().line()).append(System.lineSeparator()));
    }
    return b.toString();
  }

  private Phase stage(int id) {
    return stages.computeIfAbsent(id, i -> new Phase("  " + phaseOfStage.getOrDefault(i, OTHER) + " / stage " + i));
  }

  private static double mb(long bytes) {
    return bytes / 1e6;
  }

  private final class Listener extends SparkListener {
    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
      String name = jobStart.properties() == null ? null : jobStart.properties().getProperty(PHASE_PROPERTY);
      Phase p = named(name == null ? OTHER : name);
      synchronized (p) {
        p.jobs++;
      }
      scala.collection.Iterator<Object> ids = jobStart.stageIds().iterator();
      while (ids.hasNext()) {
        phaseOfStage.putIfAbsent((Integer) ids.next(), p.name);
      }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted stageCompleted) {
      StageInfo info = stageCompleted.stageInfo();
      if (info.submissionTime().isDefined() && info.completionTime().isDefined()) {
        Phase s = stage(info.stageId());
        synchronized (s) {
          s.wallSeconds = ((Long) info.completionTime().get() - (Long) info.submissionTime().get()) / 1000.0;
        }
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
      TaskMetrics m = taskEnd.taskMetrics();
      if (m == null) {
        return;
      }
      named(phaseOfStage.getOrDefault(taskEnd.stageId(), OTHER)).add(m);
      stage(taskEnd.stageId()).add(m);
    }
  }
}
