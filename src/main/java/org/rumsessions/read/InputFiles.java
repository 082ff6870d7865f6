package org.rumsessions.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.rumsessions.config.InputFormat;

/**
 * The raw input files, as a listing: what a run reads, and what {@code --changed} compares with the
 * listing recorded by earlier runs. A run reads exactly the files it listed, so the record of what
 * it read is exact even while new files keep arriving.
 */
public final class InputFiles {
  private static final Pattern DATE_DIR = Pattern.compile("date=(\\d{4}-\\d{2}-\\d{2})");

  /** One input file. */
  public record InputFile(String path, long size, long modificationTime, LocalDate date) {}

  private final SparkSession spark;
  private final Configuration hadoop;
  private final String input;
  private final InputFormat format;

  public InputFiles(SparkSession spark, String input, InputFormat format) {
    this(spark, spark.sparkContext().hadoopConfiguration(), input, format);
  }

  /** A listing without Spark (of JSON Lines or Parquet input), for tools that read the same files. */
  public InputFiles(Configuration hadoop, String input, InputFormat format) {
    this(null, hadoop, input, format);
  }

  private InputFiles(SparkSession spark, Configuration hadoop, String input, InputFormat format) {
    this.spark = spark;
    this.hadoop = hadoop;
    this.input = input;
    this.format = format;
  }

  /** The dates that have a partition folder (or, for Delta input, rows). */
  public List<LocalDate> partitions() {
    return listAll().stream().map(InputFile::date).distinct().sorted().toList();
  }

  /** Every file of every date partition, sorted by path. */
  public List<InputFile> listAll() {
    if (format == InputFormat.DELTA) {
      return deltaFiles();
    }
    List<InputFile> files = new ArrayList<>();
    try {
      Path root = new Path(input);
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        return files;
      }
      for (FileStatus dir : fs.listStatus(root)) {
        LocalDate date = dateOf(dir.getPath().getName());
        if (dir.isDirectory() && date != null) {
          collect(fs, dir.getPath(), date, files);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the input " + input, e);
    }
    files.sort(Comparator.comparing(InputFile::path));
    return files;
  }

  /** Date folders that exist, among {@code dates}, with their files (possibly none). */
  public List<InputFile> list(List<LocalDate> dates, List<LocalDate> presentOut) {
    List<InputFile> files = new ArrayList<>();
    if (format == InputFormat.DELTA) {
      for (InputFile f : deltaFiles()) {
        if (dates.contains(f.date())) {
          files.add(f);
          if (!presentOut.contains(f.date())) {
            presentOut.add(f.date());
          }
        }
      }
      presentOut.sort(null);
      return files;
    }
    try {
      for (LocalDate d : dates) {
        Path dir = new Path(input, "date=" + d);
        FileSystem fs = dir.getFileSystem(hadoop);
        if (fs.exists(dir) && fs.getFileStatus(dir).isDirectory()) {
          presentOut.add(d);
          collect(fs, dir, d, files);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the input " + input, e);
    }
    files.sort(Comparator.comparing(InputFile::path));
    return files;
  }

  private void collect(FileSystem fs, Path dir, LocalDate date, List<InputFile> out) throws IOException {
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      LocatedFileStatus f = it.next();
      if (f.isFile() && isData(f.getPath().getName())) {
        out.add(new InputFile(f.getPath().toString(), f.getLen(), f.getModificationTime(), date));
      }
    }
  }

  private boolean isData(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.startsWith(".") || n.startsWith("_")) {
      return false;
    }
    return format == InputFormat.PARQUET
        ? n.endsWith(".parquet")
        : n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".json.gz") || n.endsWith(".jsonl.gz");
  }

  private List<InputFile> deltaFiles() {
    List<InputFile> files = new ArrayList<>();
    try {
      for (String p : spark.read().format("delta").load(input).inputFiles()) {
        Path path = new Path(p);
        FileStatus st = path.getFileSystem(hadoop).getFileStatus(path);
        LocalDate date = dateIn(p);
        if (date != null) {
          files.add(new InputFile(p, st.getLen(), st.getModificationTime(), date));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the Delta input " + input, e);
    }
    files.sort(Comparator.comparing(InputFile::path));
    return files;
  }

  static LocalDate dateOf(String dirName) {
    Matcher m = DATE_DIR.matcher(dirName);
    return m.matches() ? parse(m.group(1)) : null;
  }

  static LocalDate dateIn(String path) {
    Matcher m = DATE_DIR.matcher(path);
    return m.find() ? parse(m.group(1)) : null;
  }

  private static LocalDate parse(String s) {
    try {
      return LocalDate.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
