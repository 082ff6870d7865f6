package org.rumsessions.bench;

import java.time.LocalDate;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.rumsessions.common.DateRange;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.read.InputFiles;

/**
 * The input files a run over {@code [from, to]} reads, as rum-sessions itself lists them (its
 * padding days, its file names, its partition dates), on the local file system. Shared by the
 * DuckDB twin and the naive baseline so that all three contenders of the benchmark read the same
 * bytes.
 */
record InputListing(List<InputFiles.InputFile> files, LocalDate from, LocalDate to, int padDays) {

  /**
   * @throws IllegalStateException when a date of the range itself has no folder, as the pipeline
   *     refuses to run then
   */
  static InputListing of(PipelineConfig config, LocalDate from, LocalDate to) {
    DateRange range = new DateRange(from, to);
    int pad = config.session().paddingDays();
    InputFiles.Listing listing =
        new InputFiles(new Configuration(), config.input().path(), config.input().format()).list(range.widen(pad, pad).days());
    List<InputFiles.InputFile> files = listing.files();
    for (LocalDate d : range.days()) {
      if (!listing.partitions().contains(d)) {
        throw new IllegalStateException("input partition missing for " + d + " under " + config.input().path());
      }
    }
    return new InputListing(files, from, to, pad);
  }

  /** The files as local paths, sorted as listed. */
  List<java.nio.file.Path> localPaths() {
    return files.stream().map(f -> java.nio.file.Path.of(new Path(f.path()).toUri().getPath())).toList();
  }
}
