package org.rumsessions.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The commits of a Delta table after a version, read from its log's commit files: who made each
 * (the {@code userMetadata} rum-sessions tags its commits with), which partition dates it changed
 * the data of, and which files it added. Read directly, without a Spark job, since a repair must be
 * cheap enough to run before every command.
 */
final class DeltaCommits {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @param datesChanged partition dates whose rows the commit added or removed (a file rewrite
   *     without a change of data, as OPTIMIZE makes, changes none)
   * @param changesUnpartitioned whether it changed rows of a table without partitions
   * @param addedFiles the names of the data files it added
   */
  record Commit(long version, String userMetadata, String operation, Set<String> datesChanged, boolean changesUnpartitioned, Set<String> addedFiles) {
    boolean changesData() {
      return changesUnpartitioned || !datesChanged.isEmpty();
    }
  }

  private DeltaCommits() {}

  /** The table's newest version, -1 when it has none: from the listing of its log alone. */
  static long newestVersion(Configuration hadoop, String table) {
    long newest = -1;
    for (FileStatus f : commitFiles(hadoop, table)) {
      newest = Math.max(newest, version(f.getPath()));
    }
    return newest;
  }

  /** The commits with a version above {@code after}, oldest first. */
  static List<Commit> after(Configuration hadoop, String table, long after) {
    List<Commit> commits = new ArrayList<>();
    TreeSet<Long> versions = new TreeSet<>();
    for (FileStatus f : commitFiles(hadoop, table)) {
      long v = version(f.getPath());
      if (v > after) {
        versions.add(v);
      }
    }
    for (long v : versions) {
      commits.add(read(hadoop, table, v));
    }
    return commits;
  }

  private static Commit read(Configuration hadoop, String table, long version) {
    Path p = new Path(new Path(table, "_delta_log"), String.format("%020d.json", version));
    String metadata = null;
    String operation = null;
    Set<String> dates = new TreeSet<>();
    Set<String> added = new HashSet<>();
    boolean unpartitioned = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getFileSystem(hadoop).open(p), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode action = JSON.readTree(line);
        if (action.has("commitInfo")) {
          JsonNode info = action.get("commitInfo");
          metadata = info.path("userMetadata").asText(null);
          operation = info.path("operation").asText(null);
          continue;
        }
        JsonNode file = action.has("add") ? action.get("add") : action.get("remove");
        if (file == null) {
          continue;
        }
        if (action.has("add")) {
          added.add(fileName(file.path("path").asText()));
        }
        if (!file.path("dataChange").asBoolean(true)) {
          continue;
        }
        JsonNode date = file.path("partitionValues").path("date");
        if (date.isTextual()) {
          dates.add(date.asText());
        } else {
          unpartitioned = true;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read commit " + version + " of " + table, e);
    }
    return new Commit(version, metadata, operation, dates, unpartitioned, added);
  }

  /** The last segment of a file path as the log writes it (relative, URI-encoded). */
  static String fileName(String logPath) {
    String decoded;
    try {
      decoded = new URI(logPath).getPath();
    } catch (URISyntaxException e) {
      decoded = logPath;
    }
    return decoded == null ? logPath : decoded.substring(decoded.lastIndexOf('/') + 1);
  }

  private static List<FileStatus> commitFiles(Configuration hadoop, String table) {
    Path log = new Path(table, "_delta_log");
    List<FileStatus> out = new ArrayList<>();
    try {
      FileSystem fs = log.getFileSystem(hadoop);
      if (!fs.exists(log)) {
        return out;
      }
      for (FileStatus f : fs.listStatus(log)) {
        if (f.getPath().getName().matches("\\d{20}\\.json")) {
          out.add(f);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + log, e);
    }
  }

  private static long version(Path commitFile) {
    return Long.parseLong(commitFile.getName().substring(0, 20));
  }
}
