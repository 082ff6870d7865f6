package org.rumsessions.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JSON Lines files a run over {@code [from, to]} reads, on the local file system: those of the
 * {@code date=YYYY-MM-DD} folders from {@code from - pad} to {@code to + pad} (and their
 * {@code hour=HH} sub-folders), where pad covers timeout + max duration and is at least one day, as
 * the README's "reading around the range" says. Shared by the DuckDB twin and the naive baseline so
 * that all three contenders of the benchmark read the same bytes.
 */
record InputListing(Path input, LocalDate from, LocalDate to, int padDays) {

  static int padDays(Duration timeout, Duration maxDuration) {
    long day = Duration.ofDays(1).toNanos();
    long ns = timeout.toNanos() + maxDuration.toNanos();
    return (int) Math.max(1, (ns + day - 1) / day);
  }

  LocalDate firstRead() {
    return from.minusDays(padDays);
  }

  LocalDate lastRead() {
    return to.plusDays(padDays);
  }

  /**
   * The files, sorted by path.
   *
   * @throws IllegalStateException when a date of the range itself has no folder, as the pipeline
   *     refuses to run then
   */
  List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (LocalDate d = firstRead(); !d.isAfter(lastRead()); d = d.plusDays(1)) {
      Path dir = input.resolve("date=" + d);
      if (!Files.isDirectory(dir)) {
        if (!d.isBefore(from) && !d.isAfter(to)) {
          throw new IllegalStateException("input partition missing for " + d + ": " + dir);
        }
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir, 2)) {
        walk.filter(Files::isRegularFile).filter(InputListing::isRecordFile).forEach(files::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    files.sort(null);
    return files;
  }

  private static boolean isRecordFile(Path p) {
    String n = p.getFileName().toString();
    if (n.startsWith(".") || n.startsWith("_")) {
      return false;
    }
    if (!p.getParent().getFileName().toString().startsWith("date=")
        && !p.getParent().getFileName().toString().startsWith("hour=")) {
      return false;
    }
    return n.endsWith(".json") || n.endsWith(".jsonl") || n.endsWith(".json.gz") || n.endsWith(".jsonl.gz");
  }
}
