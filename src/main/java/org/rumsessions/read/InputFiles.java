package org.rumsessions.read;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
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

  /** One input file: its path as listed (the {@code source_file} of its records) and its partition. */
  public record InputFile(String path, long size, long modificationTime, LocalDate date) {}

  /**
   * What a listing found: the files to read, the date partitions present (possibly without files),
   * and everything under the input root that it does not read, as paths relative to the root
   * (folders with a trailing {@code /}), sorted.
   */
  public record Listing(List<InputFile> files, List<LocalDate> partitions, List<String> ignored) {}

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
    if (format == InputFormat.DELTA) {
      return deltaFiles().stream().map(InputFile::date).distinct().sorted().toList();
    }
    return walk(d -> true).partitions();
  }

  /** Every file of every date partition, sorted by path. */
  public List<InputFile> listAll() {
    return format == InputFormat.DELTA ? deltaFiles() : walk(d -> true).files();
  }

  /** The date folders among {@code dates} that exist, with their files (possibly none). */
  public Listing list(List<LocalDate> dates) {
    if (format == InputFormat.DELTA) {
      List<InputFile> files = deltaFiles().stream().filter(f -> dates.contains(f.date())).toList();
      return new Listing(files, files.stream().map(InputFile::date).distinct().sorted().toList(), List.of());
    }
    return walk(dates::contains);
  }

  /**
   * The input partition of a file: the first folder of its path below the input root, when it is
   * named {@code date=YYYY-MM-DD} with a real date; null otherwise (a file directly under the root,
   * or in another folder). Only the path below the root counts, so an input root that itself lies in
   * a {@code date=} folder reads the date folders below it. Every reader of the input asks this.
   */
  public static LocalDate partitionDate(String root, String file) {
    String rel = relative(root, file);
    int slash = rel == null ? -1 : rel.indexOf('/');
    return slash < 0 ? null : dateOf(rel.substring(0, slash));
  }

  /**
   * The path of {@code file} below {@code root}, or null when it is not below it. Compared as
   * decoded URI paths, so that {@code file:/x} and {@code file:///x} spellings of a root agree.
   */
  static String relative(String root, String file) {
    String r = new Path(root).toUri().getPath();
    String f = new Path(file).toUri().getPath();
    String prefix = r.endsWith("/") ? r : r + "/";
    return f.startsWith(prefix) && f.length() > prefix.length() ? f.substring(prefix.length()) : null;
  }

  /**
   * Whether a file, by its path below the root, is read: in a date folder (at any depth below it,
   * such as {@code hour=HH}), under no hidden folder, with a record file's name.
   */
  private boolean isRead(String rel) {
    String[] parts = rel.split("/");
    if (parts.length < 2 || dateOf(parts[0]) == null) {
      return false;
    }
    for (int i = 1; i < parts.length - 1; i++) {
      if (InputNames.isHidden(parts[i])) {
        return false;
      }
    }
    return InputNames.isRecordFile(parts[parts.length - 1], format);
  }

  private Listing walk(Predicate<LocalDate> wanted) {
    List<InputFile> files = new ArrayList<>();
    Set<LocalDate> present = new TreeSet<>();
    List<String> ignored = new ArrayList<>();
    try {
      Path root = new Path(input);
      FileSystem fs = root.getFileSystem(hadoop);
      if (!fs.exists(root)) {
        return new Listing(files, List.of(), ignored);
      }
      String rootName = fs.makeQualified(root).toString();
      for (FileStatus child : fs.listStatus(root)) {
        String name = child.getPath().getName();
        LocalDate date = child.isDirectory() ? dateOf(name) : null;
        if (date == null) {
          ignored.add(child.isDirectory() ? name + "/" : name);
          continue;
        }
        if (!wanted.test(date)) {
          continue;
        }
        present.add(date);
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(child.getPath(), true);
        while (it.hasNext()) {
          LocatedFileStatus f = it.next();
          String path = f.getPath().toString();
          String rel = relative(rootName, path);
          if (rel != null && isRead(rel)) {
            files.add(new InputFile(path, f.getLen(), f.getModificationTime(), partitionDate(rootName, path)));
          } else {
            ignored.add(rel == null ? path : rel);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the input " + input, e);
    }
    files.sort(Comparator.comparing(InputFile::path));
    ignored.sort(null);
    return new Listing(files, List.copyOf(present), ignored);
  }

  private List<InputFile> deltaFiles() {
    List<InputFile> files = new ArrayList<>();
    try {
      Path root = new Path(input);
      String rootName = root.getFileSystem(hadoop).makeQualified(root).toString();
      for (String p : spark.read().format("delta").load(input).inputFiles()) {
        Path path = new Path(p);
        FileStatus st = path.getFileSystem(hadoop).getFileStatus(path);
        LocalDate date = partitionDate(rootName, p);
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
    if (!m.matches()) {
      return null;
    }
    try {
      return LocalDate.parse(m.group(1));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
