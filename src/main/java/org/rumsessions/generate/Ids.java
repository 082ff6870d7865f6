package org.rumsessions.generate;

/**
 * Identifiers and random seeds derived from (seed, day, session index). The session code is a
 * bijection of (day, index) for a given seed, so session and event ids are unique by construction,
 * not merely with high probability.
 */
final class Ids {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** SplitMix64's finalizer: a bijection on 64 bits with good avalanche. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** Unique per (seed, day, index) as long as the index fits in 32 bits. */
  static long sessionCode(long seed, long epochDay, long index) {
    return mix(((epochDay << 32) | (index & 0xffff_ffffL)) ^ mix(seed));
  }

  /** The seed of a session's random stream. */
  static long sessionSeed(long sessionCode) {
    return mix(sessionCode ^ 0x5deece66dL);
  }

  /** The seed of a user's stream: the same user gets the same device and place in every session. */
  static long userSeed(long seed, long user) {
    return mix(mix(seed + 0x632be59bd9b4e019L) ^ user);
  }

  /** Web session ids look like {@code HOPCPWKILUKHFHWRRQGBHHPAFLUJUOSH-0}: 32 capitals. */
  static String webSessionId(long sessionCode, long randomBits) {
    char[] c = new char[34];
    long unique = sessionCode;
    // 14 base-26 digits hold all 64 bits (26^14 > 2^64), which keeps the id unique.
    for (int i = 0; i < 14; i++) {
      c[i] = (char) ('A' + (int) Long.remainderUnsigned(unique, 26));
      unique = Long.divideUnsigned(unique, 26);
    }
    long filler = randomBits;
    for (int i = 14; i < 32; i++) {
      c[i] = (char) ('A' + (int) Long.remainderUnsigned(filler, 26));
      filler = Long.divideUnsigned(filler, 26);
      if (filler == 0) {
        filler = mix(randomBits + i);
      }
    }
    c[32] = '-';
    c[33] = '0';
    return new String(c);
  }

  /** Mobile session ids look like {@code 23626166142035610_1-0}. */
  static String mobileSessionId(long sessionCode) {
    return Long.toUnsignedString(sessionCode) + "_1-0";
  }

  /** A UUID-shaped event id: the session code, then a bijection of the event's sequence number. */
  static String eventId(long sessionCode, int sequence) {
    long low = mix(0x3c6ef372fe94f82bL + sequence);
    char[] c = new char[36];
    int p = 0;
    p = hex(c, p, sessionCode >>> 32, 8);
    c[p++] = '-';
    p = hex(c, p, sessionCode >>> 16, 4);
    c[p++] = '-';
    p = hex(c, p, sessionCode, 4);
    c[p++] = '-';
    p = hex(c, p, low >>> 48, 4);
    c[p++] = '-';
    hex(c, p, low, 12);
    return new String(c);
  }

  /** RUM instance ids are long decimal numbers kept in the browser's cookie or the app install. */
  static String instanceId(long userCode) {
    return Long.toUnsignedString(userCode);
  }

  private static int hex(char[] c, int p, long v, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      c[p + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
    return p + digits;
  }
}
