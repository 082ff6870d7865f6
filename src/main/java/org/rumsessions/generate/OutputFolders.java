package org.rumsessions.generate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rumsessions.config.ConfigException;

/**
 * The output folder: generation goes to a hidden staging folder first, and only complete date
 * folders are moved into place, so a failed run leaves no half-written partition behind.
 */
final class OutputFolders {
  /** Starts with an underscore: Hadoop and Spark readers skip it. */
  static final String STAGING = "_generating";

  private final FileSystem fs;
  private final Path out;
  private final GeneratorSpec spec;

  OutputFolders(Path out, Configuration conf, GeneratorSpec spec) {
    this.out = out;
    this.spec = spec;
    try {
      FileSystem f = out.getFileSystem(conf);
      // The raw layer lists the .crc files the checksum layer hides, so that they can be removed.
      this.fs = f instanceof ChecksumFileSystem c ? c.getRawFileSystem() : f;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the file system of " + out, e);
    }
  }

  /** Refuses to replace existing date folders unless asked to. */
  void checkTargets(boolean overwrite) {
    if (overwrite) {
      return;
    }
    for (LocalDate d = spec.from(); !d.isAfter(spec.to()); d = d.plusDays(1)) {
      Path target = new Path(out, "date=" + d);
      if (exists(target)) {
        throw new ConfigException(
            target + " already exists; give --overwrite to replace the generated days, or choose another --out");
      }
    }
  }

  Path freshStaging() {
    Path staging = new Path(out, STAGING);
    try {
      fs.delete(staging, true);
      fs.mkdirs(staging);
      return staging;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + staging, e);
    }
  }

  /**
   * Moves the staged date folders into place, replacing the requested days, and drops the writers'
   * marker and checksum files. Returns the number of data files published.
   */
  long publish(Path staging) {
    try {
      long files = 0;
      for (LocalDate d = spec.from(); !d.isAfter(spec.to()); d = d.plusDays(1)) {
        fs.delete(new Path(out, "date=" + d), true);
      }
      for (FileStatus dir : fs.listStatus(staging)) {
        if (!dir.isDirectory()) {
          continue;
        }
        for (FileStatus f : fs.listStatus(dir.getPath())) {
          String name = f.getPath().getName();
          if (name.startsWith("_") || name.startsWith(".") || name.endsWith(".crc")) {
            fs.delete(f.getPath(), true);
          } else {
            files++;
          }
        }
        Path target = new Path(out, dir.getPath().getName());
        if (!fs.rename(dir.getPath(), target)) {
          throw new IOException("rename of " + dir.getPath() + " to " + target + " failed");
        }
      }
      fs.delete(staging, true);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move the generated folders from " + staging + " into " + out, e);
    }
  }

  private boolean exists(Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at " + p, e);
    }
  }
}
