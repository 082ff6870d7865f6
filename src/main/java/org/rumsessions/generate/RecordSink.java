package org.rumsessions.generate;

/** Where finished records go: JSON Lines files or Parquet rows, by date folder. */
interface RecordSink {
  /** Batch 0 is an exporter's regular upload; batch 1 collects retried uploads. */
  int REGULAR = 0;
  int RETRY = 1;

  /** Whether the format can hold a cut-off record (text can, Parquet cannot). */
  boolean canTruncate();

  /**
   * Writes the record to the folder of {@code folderDay} (epoch day).
   *
   * @param keepFraction below 1: only this leading share of the line is written (a truncated record)
   */
  void write(EventRecord r, long folderDay, int batch, double keepFraction);

  /** Writes the last record again, byte for byte, as a retried upload does. */
  void repeatLast(long folderDay, int batch);
}
