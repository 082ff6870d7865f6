package org.rumsessions.read;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CodecPool;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.Decompressor;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.LineReader;
import org.apache.hadoop.util.ReflectionUtils;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * JSON Lines files read file by file, as listed: each line goes to the decoder in the task that
 * reads it, with its file and input partition. Lines end at {@code \n}, {@code \r\n} or {@code \r}
 * and a UTF-8 byte order mark at the start of a file is dropped, as in Hadoop's
 * {@code LineRecordReader}, which Spark's text source uses; so the records are the ones Spark would
 * read. Plain files are split into byte ranges and small files packed into tasks as Spark does;
 * gzip files (by {@link InputNames#isGzip}) are read whole.
 *
 * <p>A gzip file that ends early or is no gzip at all keeps the lines read before the damage, and
 * the rest becomes one {@link RecordDecoder#unreadable} row naming the file. A failure of the file
 * system itself (a network error, a file deleted mid-run) still fails the task, so that Spark retries
 * it: only damaged bytes are data, a failed read is not.
 */
final class JsonLines {
  private JsonLines() {}

  /** A byte range of one listed file. A class, not a record: Kryo cannot set a record's fields. */
  static final class Split implements Serializable {
    private static final long serialVersionUID = 1L;
    final String path;
    final Integer inputDay;
    final long start;
    final long length;
    final boolean gzip;

    Split(String path, Integer inputDay, long start, long length, boolean gzip) {
      this.path = path;
      this.inputDay = inputDay;
      this.start = start;
      this.length = length;
      this.gzip = gzip;
    }

    @Override
    public String toString() {
      return path + " [" + start + ", +" + length + ")";
    }
  }

  /** Every record of the files, decoded, one Spark task per packed group of splits. */
  static RDD<InternalRow> read(SparkSession spark, List<InputFiles.InputFile> files, RecordDecoder decoder) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<List<Split>> tasks = plan(files, maxSplitBytes(spark, files), bytes(spark, "spark.sql.files.openCostInBytes", "4MB"));
    // The configuration travels once per executor, object-store credentials included.
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    return jsc.parallelize(tasks, Math.max(1, tasks.size()))
        .mapPartitions(groups -> new Records(groups, conf.value().value(), decoder))
        .rdd();
  }

  /**
   * Spark's split size for a scan ({@code FilePartition.maxSplitBytes}): at most
   * {@code spark.sql.files.maxPartitionBytes}, smaller when the input is small, so that every core
   * gets a share.
   */
  static long maxSplitBytes(SparkSession spark, List<InputFiles.InputFile> files) {
    long maxPartitionBytes = bytes(spark, "spark.sql.files.maxPartitionBytes", "128MB");
    long openCost = bytes(spark, "spark.sql.files.openCostInBytes", "4MB");
    scala.Option<String> minPartitions = spark.conf().getOption("spark.sql.files.minPartitionNum");
    scala.Option<String> leafParallelism = spark.conf().getOption("spark.sql.leafNodeDefaultParallelism");
    int cores =
        minPartitions.isDefined()
            ? Integer.parseInt(minPartitions.get().trim())
            : leafParallelism.isDefined()
                ? Integer.parseInt(leafParallelism.get().trim())
                : spark.sparkContext().defaultParallelism();
    long total = files.stream().mapToLong(f -> expected(f.size(), InputNames.isGzip(new Path(f.path()).getName())) + openCost).sum();
    return Math.min(maxPartitionBytes, Math.max(openCost, total / Math.max(1, cores)));
  }

  private static long bytes(SparkSession spark, String key, String dflt) {
    return JavaUtils.byteStringAsBytes(spark.conf().get(key, dflt));
  }

  /**
   * How many bytes of JSON Lines a byte of gzip stands for when tasks are planned. JSON compresses
   * about 8 to 10 times (9.4 for the benchmark's files); planned by its own size, a gzip file looked
   * like a small one: it shared a task with the other gzip files and the small plain ones, and that
   * task, with four times the work of any other, ran last and alone (measured: the decoding stage
   * took 13.3 s for 11 s of work per core at 2 million events).
   */
  static final long GZIP_EXPANSION = 8;

  /**
   * Splits plain files into ranges of at most {@code maxSplitBytes} and packs the ranges into tasks
   * the way Spark packs a file scan (largest first, next fit, each range costing
   * {@code openCost} more than its length). A gzip file is one range that counts as
   * {@link #GZIP_EXPANSION} times its size: its own task, started among the first. Empty files hold
   * no record and are left out.
   */
  static List<List<Split>> plan(List<InputFiles.InputFile> files, long maxSplitBytes, long openCost) {
    List<Split> splits = new ArrayList<>();
    for (InputFiles.InputFile f : files) {
      Integer day = f.date() == null ? null : (int) f.date().toEpochDay();
      boolean gzip = InputNames.isGzip(new Path(f.path()).getName());
      if (f.size() <= 0) {
        continue;
      }
      if (gzip) {
        splits.add(new Split(f.path(), day, 0, f.size(), true));
        continue;
      }
      for (long offset = 0; offset < f.size(); offset += maxSplitBytes) {
        splits.add(new Split(f.path(), day, offset, Math.min(maxSplitBytes, f.size() - offset), false));
      }
    }
    // Ties by path and start, so that the plan is the same for the same listing.
    splits.sort(
        Comparator.comparingLong(JsonLines::work).reversed()
            .thenComparing((Split s) -> s.path)
            .thenComparingLong(s -> s.start));
    List<List<Split>> tasks = new ArrayList<>();
    List<Split> current = new ArrayList<>();
    long size = 0;
    for (Split s : splits) {
      if (size + work(s) > maxSplitBytes && !current.isEmpty()) {
        tasks.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      size += work(s) + openCost;
      current.add(s);
    }
    if (!current.isEmpty()) {
      tasks.add(current);
    }
    return tasks;
  }

  /** The bytes of JSON a split is expected to hold. */
  private static long work(Split s) {
    return expected(s.length, s.gzip);
  }

  private static long expected(long bytes, boolean gzip) {
    // Capped, so that sums of a few of them cannot overflow.
    return gzip ? Math.min(bytes, Long.MAX_VALUE / 4 / GZIP_EXPANSION) * GZIP_EXPANSION : bytes;
  }

  /** The lines of one split. */
  interface Lines extends Closeable {
    /** The next line, or null at the end; the returned text is reused by the next call. */
    Text next() throws IOException;
  }

  /**
   * Opens a split's lines.
   *
   * @param sourceFailed set when the file system, rather than the bytes it returned, failed
   */
  static Lines open(Split split, Configuration conf, boolean[] sourceFailed) throws IOException {
    return split.gzip ? new GzipLines(split, conf, sourceFailed) : new PlainLines(split, conf);
  }

  /** Hadoop's own reader for plain text, with its rules for lines that cross a range's ends. */
  private static final class PlainLines implements Lines {
    private final LineRecordReader reader = new LineRecordReader();

    PlainLines(Split split, Configuration conf) throws IOException {
      reader.initialize(
          new FileSplit(new Path(split.path), split.start, split.length, new String[0]),
          new TaskAttemptContextImpl(conf, new TaskAttemptID()));
    }

    @Override
    public Text next() throws IOException {
      return reader.nextKeyValue() ? reader.getCurrentValue() : null;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  /**
   * A whole gzip file through Hadoop's gzip codec (the one Spark uses, native zlib when present),
   * chosen by name here rather than by Hadoop's case-sensitive suffix table.
   */
  private static final class GzipLines implements Lines {
    private final InputStream file;
    private final Decompressor decompressor;
    private final LineReader lines;
    private final Text line = new Text();
    private boolean first = true;

    GzipLines(Split split, Configuration conf, boolean[] sourceFailed) throws IOException {
      Path path = new Path(split.path);
      this.file = new WatchedStream(path.getFileSystem(conf).open(path), sourceFailed);
      CompressionCodec codec = ReflectionUtils.newInstance(GzipCodec.class, conf);
      this.decompressor = CodecPool.getDecompressor(codec);
      LineReader reader;
      try {
        reader = new LineReader(codec.createInputStream(file, decompressor), conf);
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
      this.lines = reader;
    }

    @Override
    public Text next() throws IOException {
      if (lines.readLine(line) == 0) {
        return null;
      }
      if (first) {
        first = false;
        skipByteOrderMark(line);
      }
      return line;
    }

    @Override
    public void close() throws IOException {
      try {
        file.close();
      } finally {
        CodecPool.returnDecompressor(decompressor);
      }
    }
  }

  private static void skipByteOrderMark(Text line) {
    byte[] b = line.getBytes();
    int n = line.getLength();
    if (n >= 3 && b[0] == (byte) 0xEF && b[1] == (byte) 0xBB && b[2] == (byte) 0xBF) {
      line.set(line.copyBytes(), 3, n - 3);
    }
  }

  /**
   * What went wrong with a file's bytes, for {@code rejected_events.detail}: the exception's kind
   * and its first line from the decompressor (which never quotes the data), and how far it got.
   */
  static String unreadableDetail(Exception e, long lines) {
    return String.format(
        "gzip data unreadable after %,d line%s (%s); the lines before were read, the rest of the file was not",
        lines, lines == 1 ? "" : "s", firstLine(e));
  }

  /** An exception's kind and the first line of its message, at most 160 characters of it. */
  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    if (m.length() > 160) {
      m = m.substring(0, 160) + "...";
    }
    return e.getClass().getSimpleName() + (m.isEmpty() ? "" : ": " + m);
  }

  /**
   * The decoded rows of a task's splits, split after split. The open file is closed when the task
   * ends, also when it ends early (a failure, or a consumer that stops reading).
   */
  private static final class Records implements Iterator<InternalRow> {
    private final Iterator<List<Split>> groups;
    private final Configuration conf;
    private final RecordDecoder decoder;
    private Iterator<Split> splits = java.util.Collections.emptyIterator();
    private Split split;
    private Lines lines;
    private UTF8String file;
    private long lineCount;
    private final boolean[] sourceFailed = new boolean[1];
    private InternalRow next;

    Records(Iterator<List<Split>> groups, Configuration conf, RecordDecoder decoder) {
      this.groups = groups;
      this.conf = conf;
      this.decoder = decoder;
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> closeSplit());
      }
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow r = next;
      next = null;
      return r;
    }

    private InternalRow advance() {
      while (true) {
        if (lines == null && !openNext()) {
          return null;
        }
        Text line;
        try {
          line = lines.next();
        } catch (IOException | RuntimeException e) {
          if (!split.gzip || sourceFailed[0]) {
            throw new ReadFailedException(split, e);
          }
          InternalRow unreadable = decoder.unreadable(file, split.inputDay, unreadableDetail(e, lineCount));
          closeSplit();
          return unreadable;
        }
        if (line == null) {
          closeSplit();
          continue;
        }
        lineCount++;
        InternalRow row = decoder.record(UTF8String.fromBytes(line.getBytes(), 0, line.getLength()), file, split.inputDay);
        if (row != null) {
          return row;
        }
      }
    }

    private boolean openNext() {
      while (!splits.hasNext()) {
        if (!groups.hasNext()) {
          return false;
        }
        splits = groups.next().iterator();
      }
      split = splits.next();
      if (file == null || !file.toString().equals(split.path)) {
        file = UTF8String.fromString(split.path);
      }
      lineCount = 0;
      sourceFailed[0] = false;
      try {
        lines = open(split, conf, sourceFailed);
      } catch (IOException | RuntimeException e) {
        // Opening reads no data yet (the gzip header is read with the first line): the storage failed.
        throw new ReadFailedException(split, e);
      }
      return true;
    }

    private void closeSplit() {
      if (lines != null) {
        try {
          lines.close();
        } catch (IOException e) {
          // Reading is over; a failed close loses nothing.
        } finally {
          lines = null;
        }
      }
    }
  }

  /**
   * A file that could not be read because its storage failed; names the file, never its content.
   * The storage's exception is attached as suppressed rather than as the cause, so that the
   * command's last line, which shows the innermost cause, names the file.
   */
  static final class ReadFailedException extends RuntimeException {
    ReadFailedException(Split split, Throwable failure) {
      super("cannot read the input file " + split + ": " + firstLine(failure));
      addSuppressed(failure);
    }
  }
}
