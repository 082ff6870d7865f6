package org.rumsessions.generate;

import static org.rumsessions.generate.Key.Kind.BOOLEAN;
import static org.rumsessions.generate.Key.Kind.LONG;
import static org.rumsessions.generate.Key.Kind.STRING;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Every plain field the generator writes (times and session properties aside), in the order a flat
 * record lists them. The order also fixes the Parquet columns.
 */
final class Keys {
  private static final List<Key> REGISTERED = new ArrayList<>();

  static final Key ID = key("id", STRING);
  static final Key SESSION_ID = key("dt.rum.session.id", STRING);
  static final Key INSTANCE_ID = key("dt.rum.instance.id", STRING);
  static final Key USER_TYPE = key("dt.rum.user_type", STRING);
  static final Key USER_TAG = key("dt.rum.user_tag", STRING);
  static final Key USER_IDENTIFIER = key("user.identifier", STRING);
  static final Key APPLICATION_ID = key("dt.rum.application.id", STRING);
  static final Key APPLICATION_TYPE = key("dt.rum.application.type", STRING);
  static final Key FRONTEND_NAME = key("frontend.name", STRING);

  /** The characteristics flags, in the contract's order; index = bit in {@link Flags}. */
  static final Key[] FLAGS = {
    key("characteristics.has_navigation", BOOLEAN),
    key("characteristics.has_page_summary", BOOLEAN),
    key("characteristics.has_view_summary", BOOLEAN),
    key("characteristics.has_request", BOOLEAN),
    key("characteristics.has_user_interaction", BOOLEAN),
    key("characteristics.has_user_action", BOOLEAN),
    key("characteristics.has_error", BOOLEAN),
    key("characteristics.has_failed_request", BOOLEAN),
    key("characteristics.has_exception", BOOLEAN),
    key("characteristics.has_csp_violation", BOOLEAN),
    key("characteristics.has_crash", BOOLEAN),
    key("characteristics.has_anr", BOOLEAN),
    key("characteristics.has_replay", BOOLEAN),
    key("characteristics.is_invalid", BOOLEAN),
  };

  static final Key NAVIGATION_TYPE = key("navigation.type", STRING);
  static final Key PAGE_NAME = key("page.name", STRING);
  static final Key VIEW_NAME = key("view.name", STRING);
  static final Key URL_FULL = key("url.full", STRING);
  static final Key URL_DOMAIN = key("url.domain", STRING);
  static final Key URL_PATH = key("url.path", STRING);
  static final Key URL_PROVIDER = key("url.provider", STRING);
  static final Key HTTP_METHOD = key("http.request.method", STRING);
  static final Key STATUS_CODE = key("http.response.status_code", LONG);
  static final Key RESPONSE_SIZE = key("http.response.size", LONG);
  static final Key INTERACTION_TYPE = key("interaction.type", STRING);
  static final Key INTERACTION_NAME = key("interaction.name", STRING);
  static final Key UI_ELEMENT = key("ui_element.detected_name", STRING);
  static final Key USER_ACTION_TYPE = key("user_action.type", STRING);
  static final Key USER_ACTION_NAME = key("user_action.name", STRING);
  static final Key ERROR_TYPE = key("error.type", STRING);
  static final Key ERROR_NAME = key("error.name", STRING);
  static final Key ERROR_IS_FATAL = key("error.is_fatal", BOOLEAN);
  static final Key ERROR_REASON = key("error.reason", STRING);
  static final Key ERROR_COUNT = key("error.count", LONG);
  static final Key ERROR_EXCEPTION_COUNT = key("error.exception_count", LONG);
  static final Key EXCEPTION_TYPE = key("exception.type", STRING);
  static final Key EXCEPTION_MESSAGE = key("exception.message", STRING);
  static final Key CSP_DIRECTIVE = key("csp.effective_directive", STRING);
  static final Key LCP = key("web_vitals.largest_contentful_paint", LONG);

  static final Key BROWSER_NAME = key("browser.name", STRING);
  static final Key BROWSER_VERSION = key("browser.version", STRING);
  static final Key WINDOW_WIDTH = key("browser.window.width", LONG);
  static final Key WINDOW_HEIGHT = key("browser.window.height", LONG);
  static final Key OS_NAME = key("os.name", STRING);
  static final Key OS_VERSION = key("os.version", STRING);
  static final Key DEVICE_TYPE = key("device.type", STRING);
  static final Key DEVICE_MANUFACTURER = key("device.manufacturer", STRING);
  static final Key DEVICE_MODEL = key("device.model.identifier", STRING);
  static final Key SCREEN_WIDTH = key("device.screen.width", LONG);
  static final Key SCREEN_HEIGHT = key("device.screen.height", LONG);
  static final Key COUNTRY = key("geo.country.iso_code", STRING);
  static final Key CLIENT_IP = key("client.ip", STRING);
  static final Key CLIENT_ISP = key("client.isp", STRING);
  static final Key APP_VERSION = key("app.version", STRING);
  static final Key APP_SHORT_VERSION = key("app.short_version", STRING);

  /** Every registered key, in column order. */
  static final List<Key> ALL = Collections.unmodifiableList(REGISTERED);

  private Keys() {}

  private static Key key(String name, Key.Kind kind) {
    Key k = new Key(name, kind, REGISTERED.size());
    REGISTERED.add(k);
    return k;
  }
}
