package org.rumsessions.maintain;

import java.util.Locale;

/**
 * What maintenance did to one table. File counts and sizes are the table's active files as {@code
 * DESCRIBE DETAIL} reports them; {@code vacuumed} is -1 when Delta did not record the count (it
 * logs VACUUM metrics only on file systems where that is safe, not on S3).
 */
public record TableReport(
    String table,
    long filesBefore,
    long bytesBefore,
    String optimized,
    long filesRemoved,
    long filesAdded,
    String retention,
    long vacuumed,
    long filesAfter,
    long bytesAfter,
    boolean dryRun) {

  public String format() {
    StringBuilder b = new StringBuilder();
    b.append(table).append(System.lineSeparator());
    if (dryRun) {
      b.append(String.format("  optimize       would run: %s%n", optimized));
      b.append(String.format("  vacuum         retain %s: would delete %,d files%n", retention, vacuumed));
    } else {
      b.append(String.format("  optimize       %s: %,d files removed, %,d added%n", optimized, filesRemoved, filesAdded));
      b.append(String.format(
          "  vacuum         retain %s: %s%n",
          retention, vacuumed < 0 ? "count not recorded on this file system" : String.format("%,d files deleted", vacuumed)));
    }
    b.append(String.format(
        "  active files   %,d -> %,d  (%s -> %s)%n", filesBefore, filesAfter, size(bytesBefore), size(bytesAfter)));
    return b.toString();
  }

  private static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
