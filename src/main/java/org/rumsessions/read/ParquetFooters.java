package org.rumsessions.read;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The schema of every Parquet input file, read from its footer in one small Spark job, so that
 * files are read in groups of one schema each. A producer that changes a column's type (say
 * {@code start_time} from string to bigint) then makes two groups, each decoded on its own, where
 * one scan with {@code mergeSchema} fails the run.
 */
final class ParquetFooters {
  private static final String SCHEMA = "S";
  private static final String UNREADABLE = "U";

  private ParquetFooters() {}

  /**
   * Files of one schema each, groups in the order of their first file, and the files whose footer
   * is damaged, each with what went wrong.
   */
  record Groups(List<List<InputFiles.InputFile>> bySchema, Map<InputFiles.InputFile, String> unreadable) {}

  static Groups group(SparkSession spark, List<InputFiles.InputFile> files) {
    Map<String, List<InputFiles.InputFile>> bySchema = new LinkedHashMap<>();
    Map<InputFiles.InputFile, String> unreadable = new TreeMap<>(java.util.Comparator.comparing(InputFiles.InputFile::path));
    if (files.isEmpty()) {
      return new Groups(List.of(), unreadable);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<SerializableConfiguration> conf =
        jsc.broadcast(new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    List<String> paths = files.stream().map(InputFiles.InputFile::path).toList();
    int tasks = Math.max(1, Math.min(paths.size(), spark.sparkContext().defaultParallelism()));
    List<String> footers = jsc.parallelize(paths, tasks).map(p -> footer(p, conf.value().value())).collect();
    for (int i = 0; i < files.size(); i++) {
      String f = footers.get(i);
      if (f.startsWith(UNREADABLE)) {
        unreadable.put(files.get(i), f.substring(UNREADABLE.length()));
      } else {
        bySchema.computeIfAbsent(f.substring(SCHEMA.length()), k -> new ArrayList<>()).add(files.get(i));
      }
    }
    return new Groups(List.copyOf(bySchema.values()), unreadable);
  }

  /** The file's schema, or what is wrong with its footer; a failure of the storage fails the task. */
  private static String footer(String file, Configuration conf) throws IOException {
    boolean[] sourceFailed = new boolean[1];
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(conf);
    long length = fs.getFileStatus(path).getLen();
    try (ParquetFileReader reader = ParquetFileReader.open(new Watched(fs, path, length, sourceFailed))) {
      return SCHEMA + reader.getFooter().getFileMetaData().getSchema().toString();
    } catch (IOException | RuntimeException e) {
      if (sourceFailed[0]) {
        throw e;
      }
      // The Parquet reader's messages quote bytes of the file; the kind of failure is enough.
      return UNREADABLE + "not a readable Parquet file: its footer cannot be read (" + e.getClass().getSimpleName()
          + "); the file was not read";
    }
  }

  /** Parquet's view of a file whose storage failures are told apart from damaged bytes. */
  private static final class Watched implements InputFile {
    private final FileSystem fs;
    private final Path path;
    private final long length;
    private final boolean[] failed;

    Watched(FileSystem fs, Path path, long length, boolean[] failed) {
      this.fs = fs;
      this.path = path;
      this.length = length;
      this.failed = failed;
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
      FSDataInputStream in;
      try {
        in = fs.open(path);
      } catch (IOException e) {
        failed[0] = true;
        throw e;
      }
      return new DelegatingSeekableInputStream(new WatchedStream(in, failed)) {
        @Override
        public long getPos() throws IOException {
          return in.getPos();
        }

        @Override
        public void seek(long pos) throws IOException {
          try {
            in.seek(pos);
          } catch (java.io.EOFException e) {
            throw e; // a position past the end comes from a damaged footer, not from the storage
          } catch (IOException e) {
            failed[0] = true;
            throw e;
          }
        }
      };
    }
  }
}
