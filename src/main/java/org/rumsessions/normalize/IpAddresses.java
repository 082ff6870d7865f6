package org.rumsessions.normalize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP addresses read and masked as text, with no name lookup: an IPv4 address keeps its first three
 * octets ({@code 203.0.113.7} to {@code 203.0.113.0}), an IPv6 address its first 48 bits
 * ({@code 2001:db8:85a3:8d3:1319:8a2e:370:7348} to {@code 2001:db8:85a3::}), and an IPv4-mapped IPv6
 * address ({@code ::ffff:203.0.113.7}) is treated as the IPv4 address it carries. Masked addresses
 * are written in their canonical form (RFC 5952 for IPv6: lower case, the longest run of zero
 * groups as {@code ::}).
 */
public final class IpAddresses {
  /** Four dotted numbers that are no part of a longer dotted run (a version such as 1.2.3.4.5). */
  private static final Pattern IPV4_IN_TEXT = Pattern.compile("(?<![0-9.])\\d{1,3}(?:\\.\\d{1,3}){3}(?![0-9]|\\.[0-9])");

  /** Runs of hex digits and colons with at least two colons, possibly ending in dotted IPv4. */
  private static final Pattern IPV6_IN_TEXT =
      Pattern.compile("(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![0-9A-Za-z:])");

  private IpAddresses() {}

  /**
   * The masked form of {@code text} when it is one IPv4 or IPv6 address (surrounding blanks and an
   * IPv6 zone such as {@code %eth0} allowed, the zone is not kept); null when it is anything else:
   * a list, a host name, an address with a port, which no part can be trusted to be masked in.
   */
  public static String mask(String text) {
    if (text == null) {
      return null;
    }
    String t = text.strip();
    int[] v4 = ipv4(t);
    if (v4 != null) {
      return maskedIpv4(v4);
    }
    int zone = t.indexOf('%');
    int[] v6 = ipv6(zone < 0 ? t : t.substring(0, zone));
    return v6 == null ? null : maskedIpv6(v6);
  }

  /**
   * {@code text} with every substring that reads as an IPv4 or IPv6 address masked, or removed
   * when {@code remove}: for text that is no JSON, whose fields cannot be told apart. Four dotted
   * numbers up to 255 always read as an address (a version 1.2.3.4 becomes 1.2.3.0).
   */
  public static String maskWithin(String text, boolean remove) {
    String out = replace(IPV6_IN_TEXT, text, s -> {
      int[] v6 = ipv6(s);
      return v6 == null ? null : remove ? "" : maskedIpv6(v6);
    });
    return replace(IPV4_IN_TEXT, out, s -> {
      int[] v4 = ipv4(s);
      return v4 == null ? null : remove ? "" : maskedIpv4(v4);
    });
  }

  private static String replace(Pattern p, String text, java.util.function.Function<String, String> f) {
    Matcher m = p.matcher(text);
    StringBuilder b = null;
    int last = 0;
    while (m.find()) {
      String r = f.apply(m.group());
      if (r == null) {
        continue;
      }
      if (b == null) {
        b = new StringBuilder(text.length());
      }
      b.append(text, last, m.start()).append(r);
      last = m.end();
    }
    return b == null ? text : b.append(text, last, text.length()).toString();
  }

  /** The four octets of a dotted-decimal IPv4 address, or null. */
  static int[] ipv4(String s) {
    int[] octets = new int[4];
    int part = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++digits > 3) {
          return null;
        }
        value = value * 10 + (c - '0');
      } else if (c == '.' && digits > 0 && part < 3) {
        if (value > 255) {
          return null;
        }
        octets[part++] = value;
        digits = 0;
        value = 0;
      } else {
        return null;
      }
    }
    if (part != 3 || digits == 0 || value > 255) {
      return null;
    }
    octets[3] = value;
    return octets;
  }

  /** The eight 16-bit groups of an IPv6 address in any RFC 4291 text form, or null. */
  static int[] ipv6(String s) {
    if (s.indexOf(':') < 0) {
      return null;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] head = groups(gap < 0 ? s : s.substring(0, gap), gap < 0);
    int[] tail = gap < 0 ? new int[0] : groups(s.substring(gap + 2), true);
    if (head == null || tail == null) {
      return null;
    }
    int n = head.length + tail.length;
    if (gap < 0 ? n != 8 : n > 7) {
      return null;
    }
    int[] out = new int[8];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(tail, 0, out, 8 - tail.length, tail.length);
    return out;
  }

  /** Colon-separated groups; the last may be dotted IPv4 (two groups) when {@code last}. */
  private static int[] groups(String part, boolean last) {
    if (part.isEmpty()) {
      return new int[0];
    }
    String[] pieces = part.split(":", -1);
    int[] out = new int[pieces.length + 1];
    int n = 0;
    for (int i = 0; i < pieces.length; i++) {
      String p = pieces[i];
      if (last && i == pieces.length - 1 && p.indexOf('.') >= 0) {
        int[] v4 = ipv4(p);
        if (v4 == null) {
          return null;
        }
        out[n++] = v4[0] << 8 | v4[1];
        out[n++] = v4[2] << 8 | v4[3];
        continue;
      }
      if (p.isEmpty() || p.length() > 4) {
        return null;
      }
      int g = 0;
      for (int k = 0; k < p.length(); k++) {
        int d = Character.digit(p.charAt(k), 16);
        if (d < 0) {
          return null;
        }
        g = g << 4 | d;
      }
      out[n++] = g;
    }
    return java.util.Arrays.copyOf(out, n);
  }

  private static String maskedIpv4(int[] o) {
    return o[0] + "." + o[1] + "." + o[2] + ".0";
  }

  private static String maskedIpv6(int[] g) {
    boolean mapped = g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
    if (mapped) {
      return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + ".0";
    }
    return format(new int[] {g[0], g[1], g[2], 0, 0, 0, 0, 0});
  }

  /** RFC 5952 text: lower-case hex, no leading zeros, the first longest run of 2+ zero groups as ::. */
  static String format(int[] g) {
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        b.append("::");
        i += bestLen - 1;
        continue;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
        b.append(':');
      }
      b.append(Integer.toHexString(g[i]));
    }
    return b.toString();
  }
}
