package org.rumsessions.generate;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes one slice's lines as JSON Lines files, one per date folder and batch:
 * {@code date=YYYY-MM-DD/events-s00012.jsonl} for the regular upload and
 * {@code events-s00012-retry.jsonl} for retried ones. A quarter of the files are gzip-compressed
 * ({@code .jsonl.gz}), chosen by slice and day, so that readers meet both in one folder.
 * File names depend only on the arguments, so a retried task overwrites its own files.
 */
final class JsonFilesSink implements RecordSink, Closeable {
  private static final int BUFFER = 1 << 18;

  private final FileSystem fs;
  private final Path folder;
  private final int slice;
  private final JsonLine json = new JsonLine();
  private final Map<Long, Writer> writers = new TreeMap<>();
  private String last;

  JsonFilesSink(FileSystem fs, Path folder, int slice) {
    // The checksum layer would add a .crc file beside every output file.
    this.fs = fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    this.folder = folder;
    this.slice = slice;
  }

  @Override
  public boolean canTruncate() {
    return true;
  }

  @Override
  public void write(EventRecord r, long folderDay, int batch, double keepFraction) {
    String line = json.format(r);
    if (keepFraction < 1.0) {
      line = line.substring(0, Math.max(1, Math.min(line.length() - 1, (int) (line.length() * keepFraction))));
    }
    last = line;
    append(folderDay, batch, line);
  }

  @Override
  public void repeatLast(long folderDay, int batch) {
    append(folderDay, batch, last);
  }

  static boolean gzip(int slice, long day, int batch) {
    return (slice + day + batch) % 4 == 3;
  }

  static String fileName(int slice, long day, int batch) {
    return String.format("events-s%05d%s.jsonl%s", slice, batch == RETRY ? "-retry" : "", gzip(slice, day, batch) ? ".gz" : "");
  }

  private void append(long day, int batch, String line) {
    try {
      Writer w = writers.get(day * 2 + batch);
      if (w == null) {
        w = open(day, batch);
        writers.put(day * 2 + batch, w);
      }
      w.write(line);
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write generated events under " + folder, e);
    }
  }

  private Writer open(long day, int batch) throws IOException {
    Path file = new Path(new Path(folder, "date=" + LocalDate.ofEpochDay(day)), fileName(slice, day, batch));
    OutputStream out = fs.create(file, true, BUFFER);
    if (gzip(slice, day, batch)) {
      out = new FastGzip(out);
    }
    return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Writer w : writers.values()) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Gzip at the fastest level: test data is written far more often than it is stored. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, BUFFER);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
