package org.rumsessions.generate;

/** The characteristics flags as bits, in the order of {@link Keys#FLAGS}. */
final class Flags {
  static final int NAVIGATION = 1;
  static final int PAGE_SUMMARY = 1 << 1;
  static final int VIEW_SUMMARY = 1 << 2;
  static final int REQUEST = 1 << 3;
  static final int USER_INTERACTION = 1 << 4;
  static final int USER_ACTION = 1 << 5;
  static final int ERROR = 1 << 6;
  static final int FAILED_REQUEST = 1 << 7;
  static final int EXCEPTION = 1 << 8;
  static final int CSP_VIOLATION = 1 << 9;
  static final int CRASH = 1 << 10;
  static final int ANR = 1 << 11;
  static final int REPLAY = 1 << 12;
  static final int INVALID = 1 << 13;

  static final int COUNT = 14;

  private Flags() {}

  static boolean has(int flags, int flag) {
    return (flags & flag) != 0;
  }
}
