package org.rumsessions.normalize;

/** Why a raw record was not accepted as an event; the codes are stored in {@code rejected_events}. */
public enum RejectReason {
  /** Not a JSON object (or not valid JSON at all). */
  MALFORMED_RECORD("malformed_record"),
  /** No {@code dt.rum.session.id}, or an empty one. */
  MISSING_SESSION_ID("missing_session_id"),
  /** No {@code start_time}, or one that is neither ISO-8601 with a zone nor epoch nanoseconds. */
  INVALID_START_TIME("invalid_start_time"),
  /** An {@code end_time} or {@code timestamp} that is no time of the contract. */
  INVALID_END_TIME("invalid_end_time"),
  /** A {@code duration} that is not a whole number of nanoseconds, or a negative one. */
  INVALID_DURATION("invalid_duration"),
  /** The event would end before it starts. */
  END_BEFORE_START("end_before_start"),
  /** A known field whose value has the wrong type (the detail names the field). */
  INVALID_FIELD_VALUE("invalid_field_value"),
  /**
   * The event starts more days away from its input partition's date than a run reads around its
   * range, so no run could place it consistently; kept here rather than lost.
   */
  START_TIME_FAR_FROM_PARTITION("start_time_far_from_partition"),
  /**
   * The rest of a file that cannot be read (a gzip file cut short, or no gzip at all; a Parquet file
   * without a readable footer): one row for the file, whose detail says what failed after how many
   * lines. The records read before the damage are kept.
   */
  UNREADABLE_FILE("unreadable_file");

  private final String code;

  RejectReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
