package org.rumsessions.normalize;

import static org.rumsessions.normalize.EventField.Kind.BOOLEAN;
import static org.rumsessions.normalize.EventField.Kind.LONG;
import static org.rumsessions.normalize.EventField.Kind.STRING;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The plain (non-time) fields of the input contract, in the order the tables show them. */
public final class EventFields {
  public static final String ID = "id";
  public static final String SESSION_ID = "dt.rum.session.id";
  public static final String INSTANCE_ID = "dt.rum.instance.id";
  public static final String USER_TAG = "dt.rum.user_tag";
  public static final String USER_TYPE = "dt.rum.user_type";
  public static final String APPLICATION_ID = "dt.rum.application.id";
  public static final String FRONTEND_NAME = "frontend.name";
  public static final String ERROR_TYPE = "error.type";
  public static final String STATUS_CODE = "http.response.status_code";
  public static final String INTERACTION_TYPE = "interaction.type";
  public static final String SESSION_PROPERTIES_PREFIX = "session_properties.";

  /** The characteristics flags, without their {@code characteristics.} prefix. */
  public static final List<String> CHARACTERISTICS =
      List.of(
          "has_navigation",
          "has_page_summary",
          "has_view_summary",
          "has_request",
          "has_user_interaction",
          "has_user_action",
          "has_error",
          "has_failed_request",
          "has_exception",
          "has_csp_violation",
          "has_crash",
          "has_anr",
          "has_replay",
          "is_invalid");

  /**
   * Context fields that a session takes from its first event that has them (data model, section 3).
   */
  public static final List<EventField> CONTEXT =
      List.of(
          new EventField("browser.name", STRING, "Browser name, for example Chrome"),
          new EventField("browser.version", STRING, "Browser version"),
          new EventField("browser.window.width", LONG, "Inner browser window width in pixels"),
          new EventField("browser.window.height", LONG, "Inner browser window height in pixels"),
          new EventField("os.name", STRING, "Operating system name"),
          new EventField("os.version", STRING, "Operating system version"),
          new EventField("device.type", STRING, "Device type: desktop, mobile, tablet, ..."),
          new EventField("device.manufacturer", STRING, "Device manufacturer (mobile)"),
          new EventField("device.model.identifier", STRING, "Device model identifier (mobile)"),
          new EventField("device.screen.width", LONG, "Screen width in pixels, natural orientation"),
          new EventField("device.screen.height", LONG, "Screen height in pixels, natural orientation"),
          new EventField("geo.country.iso_code", STRING, "Country, ISO 3166-1 alpha-2"),
          new EventField("client.ip", STRING, "Client IP address (personal data)"),
          new EventField("client.isp", STRING, "Client internet service provider"),
          new EventField("app.version", STRING, "Mobile app build version"),
          new EventField("app.short_version", STRING, "Mobile app marketing version"));

  /** Every plain field, in table order. */
  public static final List<EventField> ALL = all();

  /** Second spellings the contract accepts; the first spelling wins when a record has both. */
  public static final Map<String, String> ALIASES =
      Map.of("user.identifier", USER_TAG, "interaction.name", INTERACTION_TYPE);

  private static final Map<String, EventField> BY_NAME = byName();

  private EventFields() {}

  public static EventField byName(String name) {
    return BY_NAME.get(name);
  }

  public static String characteristic(String flag) {
    return "characteristics." + flag;
  }

  private static List<EventField> all() {
    List<EventField> fields = new ArrayList<>();
    fields.add(new EventField(ID, STRING, "Unique event id, the de-duplication key"));
    fields.add(new EventField(SESSION_ID, STRING, "Session the event belongs to"));
    fields.add(new EventField(INSTANCE_ID, STRING, "RUM instance: the browser or app install"));
    fields.add(new EventField(USER_TAG, STRING, "User identity set by the application (personal data); also read from user.identifier"));
    fields.add(new EventField(USER_TYPE, STRING, "real_user, robot or synthetic"));
    fields.add(new EventField(APPLICATION_ID, STRING, "RUM application id"));
    fields.add(new EventField(FRONTEND_NAME, STRING, "Frontend name"));
    for (String flag : CHARACTERISTICS) {
      fields.add(new EventField(characteristic(flag), BOOLEAN, "Event characteristic " + flag));
    }
    fields.add(new EventField(ERROR_TYPE, STRING, "anr, crash, csp, exception, reported or request"));
    fields.add(new EventField(STATUS_CODE, LONG, "HTTP status of a request event"));
    fields.add(new EventField(INTERACTION_TYPE, STRING, "click, touch, key_press, scroll, ...; also read from interaction.name"));
    fields.addAll(CONTEXT);
    return List.copyOf(fields);
  }

  private static Map<String, EventField> byName() {
    Map<String, EventField> m = new LinkedHashMap<>();
    for (EventField f : all()) {
      m.put(f.name(), f);
    }
    return m;
  }
}
