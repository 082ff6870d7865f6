package org.rumsessions.tables;

import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.List;
import java.util.Map;

/**
 * {@code forgotten}: the tombstones that {@code forget} leaves, one per session id or user tag it
 * erased, as a SHA-256 of the value and never the value; every sessionize run drops what they match.
 */
public final class ForgottenTable {
  public static final String KIND = "kind";
  public static final String VALUE_SHA256 = "value_sha256";
  public static final String FORGOTTEN_AT = "forgotten_at";

  /** {@link #KIND} of a tombstone for a user tag ({@code dt.rum.user_tag} or {@code user.identifier}). */
  public static final String USER_TAG = "user_tag";

  /** {@link #KIND} of a tombstone for a session id. */
  public static final String SESSION_ID = "session_id";

  public static final TableSpec SPEC =
      new TableSpec(
          "forgotten",
          null,
          "Tombstones of the people forget erased: every sessionize run drops the records of these session ids and user tags",
          List.of(
              new ColumnSpec(KIND, StringType, USER_TAG + " or " + SESSION_ID),
              new ColumnSpec(
                  VALUE_SHA256, StringType, "SHA-256 (hex) of the user tag or session id as received; never the value itself"),
              new ColumnSpec(FORGOTTEN_AT, TimestampType, "When forget recorded it (UTC)"),
              new ColumnSpec(PipelineRunsTable.RUN_ID, StringType, "The forget run that recorded it (see pipeline_runs)")),
          Map.of(),
          Map.of());

  private ForgottenTable() {}
}
