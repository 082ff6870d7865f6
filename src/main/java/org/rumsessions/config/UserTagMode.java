package org.rumsessions.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code privacy.user-tag}: what is written where an event's user tag was. */
public enum UserTagMode {
  /** The tag as received (the default, as in Dynatrace). */
  KEEP,
  /** A keyed HMAC-SHA-256 of the tag behind the key's id: {@code <key id>:<64 hex digits>}. */
  HASH,
  /** Nothing (null). */
  DROP;

  public static UserTagMode parse(String key, String value) {
    for (UserTagMode m : values()) {
      if (m.label().equals(value)) {
        return m;
      }
    }
    throw new ConfigException(String.format("%s: '%s' is not allowed; allowed: %s", key, value, allowed()));
  }

  public static String allowed() {
    return Arrays.stream(values()).map(UserTagMode::label).collect(Collectors.joining(", "));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
