package org.rumsessions.read;

import java.io.Serializable;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * What the readers hand every record to, on the executors, in the same pass that reads it: no
 * intermediate table of text lines.
 */
public interface RecordDecoder extends Serializable {
  /**
   * One record.
   *
   * @param text the record's bytes; valid only during the call (the reader reuses its buffer)
   * @param file the file it was read from, exactly as listed; the same object for a file's records
   * @param inputDay its input partition's date as epoch days, or null when it has none
   * @return the decoded row, or null when the text is no record (a blank line)
   */
  InternalRow record(UTF8String text, UTF8String file, Integer inputDay);

  /**
   * The part of a file that could not be read: one row, so that the file is named and counted.
   *
   * @param detail what went wrong and after how many records; never a record's values
   */
  InternalRow unreadable(UTF8String file, Integer inputDay, String detail);
}
