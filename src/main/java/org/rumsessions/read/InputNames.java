package org.rumsessions.read;

import java.util.Locale;
import org.rumsessions.config.InputFormat;

/**
 * Which file names are input, and which of them are gzip: one rule, ignoring case, for the listing
 * and for the reader. Spark's text source picks its codec by a case-sensitive {@code .gz}, so a
 * listing that ignores case and a reader that does not would read {@code A.JSONL.GZ} as text.
 */
public final class InputNames {
  private InputNames() {}

  /**
   * A name that the writers of a data lake use for what is not (yet) data: Spark's and Hadoop's
   * {@code _SUCCESS}, {@code _temporary}, {@code _delta_log}, and hidden {@code .crc} or
   * {@code .part} files of uploads in progress.
   */
  public static boolean isHidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  /** {@code *.json}, {@code *.jsonl}, each optionally {@code .gz}; or {@code *.parquet}; any case. */
  public static boolean isRecordFile(String name, InputFormat format) {
    if (isHidden(name)) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT);
    if (format == InputFormat.PARQUET) {
      return n.endsWith(".parquet");
    }
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
    }
    return n.endsWith(".json") || n.endsWith(".jsonl");
  }

  /** Whether a record file is read through gzip. */
  public static boolean isGzip(String name) {
    return name.toLowerCase(Locale.ROOT).endsWith(".gz");
  }
}
