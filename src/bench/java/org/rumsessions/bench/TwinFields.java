package org.rumsessions.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The input fields of the data contract (section 1) as the DuckDB twin reads them. Written out here
 * again on purpose rather than taken from the pipeline's registry: the twin is a second reading of
 * the contract, so that a field the pipeline forgot or mistyped shows up as a difference.
 */
final class TwinFields {
  enum Kind {
    STRING,
    LONG,
    BOOLEAN
  }

  /** A plain field: its dotted dictionary name, its type, and an optional second spelling. */
  record Field(String name, Kind kind, String alias) {
    Field(String name, Kind kind) {
      this(name, kind, null);
    }
  }

  static final String ID = "id";
  static final String SESSION_ID = "dt.rum.session.id";
  static final String INSTANCE_ID = "dt.rum.instance.id";
  static final String USER_TAG = "dt.rum.user_tag";
  static final String CLIENT_IP = "client.ip";
  static final String USER_TYPE = "dt.rum.user_type";
  static final String APPLICATION_ID = "dt.rum.application.id";
  static final String FRONTEND_NAME = "frontend.name";
  static final String ERROR_TYPE = "error.type";
  static final String STATUS_CODE = "http.response.status_code";

  static final String START_TIME = "start_time";
  static final String END_TIME = "end_time";
  static final String TIMESTAMP = "timestamp";
  static final String DURATION = "duration";
  /** The time keys, read apart from the plain fields: they decide whether a record is an event at all. */
  static final List<String> TIMES = List.of(START_TIME, END_TIME, TIMESTAMP, DURATION);

  static final List<String> FLAGS =
      List.of(
          "has_navigation", "has_page_summary", "has_view_summary", "has_request", "has_user_interaction",
          "has_user_action", "has_error", "has_failed_request", "has_exception", "has_csp_violation",
          "has_crash", "has_anr", "has_replay", "is_invalid");

  /** Context fields a session takes from its first event that has them. */
  static final List<Field> CONTEXT =
      List.of(
          new Field("browser.name", Kind.STRING),
          new Field("browser.version", Kind.STRING),
          new Field("browser.window.width", Kind.LONG),
          new Field("browser.window.height", Kind.LONG),
          new Field("os.name", Kind.STRING),
          new Field("os.version", Kind.STRING),
          new Field("device.type", Kind.STRING),
          new Field("device.manufacturer", Kind.STRING),
          new Field("device.model.identifier", Kind.STRING),
          new Field("device.screen.width", Kind.LONG),
          new Field("device.screen.height", Kind.LONG),
          new Field("geo.country.iso_code", Kind.STRING),
          new Field(CLIENT_IP, Kind.STRING),
          new Field("client.isp", Kind.STRING),
          new Field("app.version", Kind.STRING),
          new Field("app.short_version", Kind.STRING));

  /** Every plain field. A wrong-typed value in any of them rejects the record, as the contract's decoder does. */
  static final List<Field> ALL = all();

  private TwinFields() {}

  static String flag(String name) {
    return "characteristics." + name;
  }

  private static List<Field> all() {
    List<Field> f = new ArrayList<>();
    f.add(new Field(ID, Kind.STRING));
    f.add(new Field(SESSION_ID, Kind.STRING));
    f.add(new Field(INSTANCE_ID, Kind.STRING));
    f.add(new Field(USER_TAG, Kind.STRING, "user.identifier"));
    f.add(new Field(USER_TYPE, Kind.STRING));
    f.add(new Field(APPLICATION_ID, Kind.STRING));
    f.add(new Field(FRONTEND_NAME, Kind.STRING));
    for (String flag : FLAGS) {
      f.add(new Field(flag(flag), Kind.BOOLEAN));
    }
    f.add(new Field(ERROR_TYPE, Kind.STRING));
    f.add(new Field(STATUS_CODE, Kind.LONG));
    f.add(new Field("interaction.type", Kind.STRING, "interaction.name"));
    f.addAll(CONTEXT);
    return List.copyOf(f);
  }
}
