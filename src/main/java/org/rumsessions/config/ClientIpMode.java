package org.rumsessions.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code privacy.client-ip}: what is written where an event's client IP address was. */
public enum ClientIpMode {
  /** IPv4 to its first three octets, IPv6 to its first 48 bits (the default). */
  MASK,
  /** The address as received. */
  KEEP,
  /** Nothing (null). */
  DROP;

  public static ClientIpMode parse(String key, String value) {
    for (ClientIpMode m : values()) {
      if (m.label().equals(value)) {
        return m;
      }
    }
    throw new ConfigException(String.format("%s: '%s' is not allowed; allowed: %s", key, value, allowed()));
  }

  public static String allowed() {
    return Arrays.stream(values()).map(ClientIpMode::label).collect(Collectors.joining(", "));
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
