package org.rumsessions.tables;

import java.util.HashMap;
import java.util.Map;

/**
 * Comments for the structs that group the semantic-dictionary names ({@code dt.rum}, {@code browser},
 * ...), the same in every table that nests them; a table adds or overrides its own.
 */
final class StructComments {
  static final Map<String, String> DICTIONARY =
      Map.ofEntries(
          Map.entry("dt", "Dynatrace identifiers (semantic dictionary dt.*)"),
          Map.entry("dt.rum", "RUM identifiers"),
          Map.entry("dt.rum.session", "The user session"),
          Map.entry("dt.rum.instance", "The RUM instance: one browser or app install"),
          Map.entry("dt.rum.application", "The RUM application"),
          Map.entry("frontend", "The frontend"),
          Map.entry("characteristics", "What the event is; several flags can be true at once"),
          Map.entry("error", "The event's error"),
          Map.entry("http", "HTTP of a request event"),
          Map.entry("http.response", "The HTTP response"),
          Map.entry("interaction", "The user interaction"),
          Map.entry("browser", "Browser context"),
          Map.entry("browser.window", "Inner browser window size"),
          Map.entry("os", "Operating system"),
          Map.entry("device", "Device"),
          Map.entry("device.model", "Device model"),
          Map.entry("device.screen", "Screen size in pixels, natural orientation"),
          Map.entry("geo", "Geolocation, from the producer"),
          Map.entry("geo.country", "Country"),
          Map.entry("client", "Client network (personal data)"),
          Map.entry("app", "Mobile app version"));

  private StructComments() {}

  /** The dictionary's comments with {@code overrides} replacing or adding entries. */
  static Map<String, String> with(Map<String, String> overrides) {
    Map<String, String> m = new HashMap<>(DICTIONARY);
    m.putAll(overrides);
    return m;
  }
}
