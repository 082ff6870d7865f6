package org.rumsessions.write;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse's record of runs in progress: one small file per run under
 * {@code _rum_sessions/in_progress/}, written once before the run's first commit and removed after
 * its last, and a heartbeat file beside it that the run rewrites while it goes on. A file whose run is no longer alive marks a run that died between its commits.
 *
 * <p>Whether a run is alive: on the same host, its process (pid and start time) still runs; from
 * another host, its heartbeat is younger than {@link #STALE} (every run rewrites it every
 * {@link #HEARTBEAT}). Files and no locks, so that it works the same on object storage.
 */
public final class Journal {
  private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
  static final String DIR = "_rum_sessions/in_progress";
  static final String CLAIMS = "_rum_sessions/claims";
  static final Duration HEARTBEAT = Duration.ofSeconds(10);

  /**
   * Room kept on a disk the warehouse shares with nothing that frees space by itself: a run that
   * fills the disk with its commits still has this much for the commits of its rollback.
   */
  static final int RESERVE_BYTES = 8 << 20;

  private static final java.util.Set<String> DISKS = java.util.Set.of("file", "hdfs", "viewfs");
  static final Duration STALE = Duration.ofSeconds(90);

  /** This process, as a run's record names it. */
  static final String HOST = hostName();

  static final long PID = ProcessHandle.current().pid();
  static final Instant PROCESS_START = ProcessHandle.current().info().startInstant().orElse(null);

  private final Configuration hadoop;
  private final Path dir;
  private final Path claims;

  public Journal(Configuration hadoop, String warehouse) {
    this.hadoop = hadoop;
    this.dir = new Path(warehouse, DIR);
    this.claims = new Path(warehouse, CLAIMS);
  }

  /** A run's record as found in the warehouse, with when it was last rewritten. */
  public record Found(RunIntent intent, Instant lastHeartbeat) {}

  /** A run's record while the run goes on: rewritten every {@link #HEARTBEAT} until closed. */
  public final class Entry implements AutoCloseable {
    private final RunIntent intent;
    private final ScheduledExecutorService heartbeat;

    private Entry(RunIntent intent) {
      this.intent = intent;
      this.heartbeat =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "rum-sessions-heartbeat");
                t.setDaemon(true);
                return t;
              });
      heartbeat.scheduleWithFixedDelay(this::beat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public RunIntent intent() {
      return intent;
    }

    private void beat() {
      try {
        Path p = heartbeatFile(intent.runId());
        try (OutputStream out = p.getFileSystem(hadoop).create(p, true)) {
          out.write(Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        LOG.warn("could not refresh the record of run {}: {}", intent.runId(), e.toString());
      } catch (RuntimeException | Error e) {
        // A missed beat only makes another host see the run as older than it is; never fatal.
        LOG.warn("could not refresh the record of run {}: {}", intent.runId(), e.toString());
      }
    }

    /** The run ended, finished or rolled back: its record goes. */
    public void finish() {
      close();
      remove(intent.runId());
    }

    /** Stops the heartbeat but leaves the record, for the next command to repair by. */
    @Override
    public void close() {
      heartbeat.shutdownNow();
    }
  }

  /** Records a run before its first commit, and keeps room for its rollback (see {@link #RESERVE_BYTES}). */
  public Entry begin(RunIntent intent) {
    reserve(intent.runId());
    write(intent);
    return new Entry(intent);
  }

  /**
   * Claims every date of a recorded run's range for it, in date order, one file per date created
   * only if absent; returns the id of a live run that holds one of them (the run claims nothing
   * then), or empty when all are the run's.
   *
   * <p>Why: two runs over the same dates write their tables side by side, so each could win a
   * different table's commit and both would fail. A claim decides the winner before any commit. Dates
   * in order, so of two overlapping runs the first shared date decides. A claim whose run is no
   * longer alive is taken over. On object storage without an atomic create-if-absent (S3A on Hadoop
   * 3.3) two claims can race, and Delta's own conflict check is what remains.
   */
  public Optional<String> claim(RunIntent intent) {
    if (intent.range() == null) {
      return Optional.empty();
    }
    List<Path> mine = new ArrayList<>();
    try {
      FileSystem fs = claims.getFileSystem(hadoop);
      fs.mkdirs(claims);
      for (java.time.LocalDate day : intent.range().days()) {
        Path p = new Path(claims, day.toString());
        Optional<String> holder = claim(fs, p, intent.runId());
        if (holder.isPresent()) {
          for (Path c : mine) {
            fs.delete(c, false);
          }
          return holder;
        }
        mine.add(p);
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim the dates of run " + intent.runId() + " in " + claims, e);
    }
  }

  private Optional<String> claim(FileSystem fs, Path p, String runId) throws IOException {
    for (int attempt = 0; attempt < 5; attempt++) {
      if (createIfAbsent(fs, p, runId)) {
        return Optional.empty();
      }
      String holder = holder(fs, p);
      if (holder == null || holder.isEmpty()) {
        // Given back meanwhile, or its holder is still writing its id: look again.
        sleep(200);
        continue;
      }
      if (holder.equals(runId)) {
        return Optional.empty();
      }
      Instant now = Instant.now();
      if (list().stream().anyMatch(f -> f.intent().runId().equals(holder) && isAlive(f, now))) {
        return Optional.of(holder);
      }
      // Left by a run that ended without giving it back: free.
      fs.delete(p, false);
    }
    String holder = holder(fs, p);
    return Optional.of(holder == null ? "another run" : holder);
  }

  /**
   * Creates a claim file unless it exists, atomically where the file system allows: Hadoop's local
   * file system checks and then creates, so a local path goes through the operating system's
   * exclusive create instead.
   */
  private static boolean createIfAbsent(FileSystem fs, Path p, String runId) throws IOException {
    byte[] id = runId.getBytes(StandardCharsets.UTF_8);
    if ("file".equals(fs.getScheme())) {
      try {
        java.nio.file.Files.write(java.nio.file.Paths.get(p.toUri()), id, java.nio.file.StandardOpenOption.CREATE_NEW);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(p, false)) {
      out.write(id);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String holder(FileSystem fs, Path p) {
    try (InputStream in = fs.open(p)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      // Given back meanwhile, or still being written.
      return null;
    }
  }

  /** Gives back the dates a run claimed (see {@link #claim}). */
  private void releaseClaims(FileSystem fs, String runId) throws IOException {
    if (!fs.exists(claims)) {
      return;
    }
    for (FileStatus f : fs.listStatus(claims)) {
      if (runId.equals(holder(fs, f.getPath()))) {
        fs.delete(f.getPath(), false);
      }
    }
  }

  /** Gives back the room kept for a run's rollback: the first thing a rollback does. */
  public void release(String runId) {
    try {
      Path p = reserveFile(runId);
      p.getFileSystem(hadoop).delete(p, false);
    } catch (IOException e) {
      LOG.warn("could not release the room kept for run {}: {}", runId, e.toString());
    }
  }

  private void reserve(String runId) {
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (!DISKS.contains(fs.getScheme())) {
        return;
      }
      fs.mkdirs(dir);
      byte[] block = new byte[1 << 20];
      try (OutputStream out = fs.create(reserveFile(runId), true)) {
        for (int written = 0; written < RESERVE_BYTES; written += block.length) {
          out.write(block);
        }
      }
    } catch (IOException | FSError e) {
      // A full local disk fails with Hadoop's FSError, an Error.
      throw new UncheckedIOException("no room on the warehouse's disk to start run " + runId, new IOException(e));
    }
  }

  /** Every run's record in the warehouse. */
  public List<Found> list() {
    List<Found> found = new ArrayList<>();
    try {
      FileSystem fs = dir.getFileSystem(hadoop);
      if (!fs.exists(dir)) {
        return found;
      }
      for (FileStatus f : fs.listStatus(dir)) {
        String name = f.getPath().getName();
        if (!name.endsWith(".json") || name.startsWith(".")) {
          continue;
        }
        try (InputStream in = fs.open(f.getPath())) {
          RunIntent intent = RunIntent.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
          long last = f.getModificationTime();
          Path beat = heartbeatFile(intent.runId());
          if (fs.exists(beat)) {
            last = Math.max(last, fs.getFileStatus(beat).getModificationTime());
          }
          found.add(new Found(intent, Instant.ofEpochMilli(last)));
        } catch (IOException | RuntimeException e) {
          LOG.warn("skipping an unreadable run record {}: {}", f.getPath(), e.toString());
        }
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Whether the run of a record is still going on (see the class comment). */
  public static boolean isAlive(Found f, Instant now) {
    RunIntent i = f.intent();
    if (HOST.equals(i.host())) {
      Optional<ProcessHandle> p = ProcessHandle.of(i.pid());
      if (p.isEmpty() || !p.get().isAlive()) {
        return false;
      }
      Optional<Instant> started = p.get().info().startInstant();
      return i.processStart() == null || started.isEmpty() || started.get().equals(i.processStart());
    }
    return f.lastHeartbeat().isAfter(now.minus(STALE));
  }

  public void remove(String runId) {
    try {
      Path p = file(runId);
      FileSystem fs = p.getFileSystem(hadoop);
      fs.delete(p, false);
      fs.delete(heartbeatFile(runId), false);
      fs.delete(reserveFile(runId), false);
      releaseClaims(fs, runId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the record of run " + runId, e);
    }
  }

  /** Written aside and renamed into place, so that a reader never sees half a record. */
  private void write(RunIntent intent) {
    Path target = file(intent.runId());
    Path aside = new Path(dir, "." + intent.runId() + ".json.tmp");
    try {
      FileSystem fs = target.getFileSystem(hadoop);
      fs.mkdirs(dir);
      try (OutputStream out = fs.create(aside, true)) {
        out.write(intent.toJson().getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(aside, target)) {
        throw new IOException("rename to " + target + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record run " + intent.runId() + " in " + dir, e);
    }
  }

  private Path file(String runId) {
    return new Path(dir, runId + ".json");
  }

  private Path heartbeatFile(String runId) {
    return new Path(dir, runId + ".heartbeat");
  }

  private Path reserveFile(String runId) {
    return new Path(dir, runId + ".reserve");
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String env = System.getenv("HOSTNAME");
      return env == null ? "unknown-host" : env;
    }
  }
}
