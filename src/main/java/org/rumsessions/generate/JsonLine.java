package org.rumsessions.generate;

import java.util.Arrays;

/**
 * Writes an {@link EventRecord} as one JSON object in its chosen key style. Nested objects are
 * produced from the dotted names by sorting them segment-wise and opening and closing objects as the
 * common prefix changes; one instance per task, its buffers reused for every line.
 */
final class JsonLine {
  static final Key START_TIME = new Key("start_time", Key.Kind.STRING, -1);
  static final Key END_TIME = new Key("end_time", Key.Kind.STRING, -1);
  static final Key DURATION = new Key("duration", Key.Kind.LONG, -1);
  static final Key TIMESTAMP = new Key("timestamp", Key.Kind.STRING, -1);
  private static final Key[] TIME_KEYS = {START_TIME, END_TIME, DURATION, TIMESTAMP};

  private static final int FLAG_ITEM = 1 << 20;
  private static final int TIME_ITEM = 2 << 20;

  private final StringBuilder sb = new StringBuilder(1024);
  private int[] items = new int[64];
  private String[][] itemSegments = new String[64][];
  private int count;
  private final String[] open = new String[16];
  private final boolean[] needComma = new boolean[17];

  String format(EventRecord r) {
    sb.setLength(0);
    collect(r);
    if (r.keyStyle != EventRecord.KeyStyle.FLAT) {
      sortBySegments();
    }
    writeObject(r);
    return sb.toString();
  }

  /** A time as the record spells it: epoch nanoseconds, or ISO-8601 text (quoted when {@code json}). */
  static void appendTime(StringBuilder out, EventRecord r, long nanos, boolean json) {
    if (r.fractionDigits == 0) {
      out.append(nanos);
      return;
    }
    if (json) {
      out.append('"');
    }
    IsoTime.append(out, nanos, r.fractionDigits, r.offsetMinutes, r.numericZeroOffset);
    if (json) {
      out.append('"');
    }
  }

  private void collect(EventRecord r) {
    count = 0;
    if (!r.omitStart) {
      add(r, TIME_ITEM, START_TIME);
    }
    if (r.writeEnd) {
      add(r, TIME_ITEM + 1, END_TIME);
    }
    if (r.writeDuration) {
      add(r, TIME_ITEM + 2, DURATION);
    }
    if (r.writeTimestamp) {
      add(r, TIME_ITEM + 3, TIMESTAMP);
    }
    for (int i = 0; i < r.size; i++) {
      add(r, i, r.keys[i]);
    }
    for (int b = 0; b < Flags.COUNT; b++) {
      if (r.explicitFlags || (r.flags & (1 << b)) != 0) {
        add(r, FLAG_ITEM + b, Keys.FLAGS[b]);
      }
    }
  }

  private void add(EventRecord r, int item, Key key) {
    if (count == items.length) {
      items = Arrays.copyOf(items, count * 2);
      itemSegments = Arrays.copyOf(itemSegments, count * 2);
    }
    items[count] = item;
    itemSegments[count] = segments(r, key);
    count++;
  }

  private static String[] segments(EventRecord r, Key key) {
    switch (r.keyStyle) {
      case FLAT:
        return key.whole;
      case NESTED:
        return key.segments;
      default:
        int mode = (int) (r.mixBits >>> (2 * key.mixSlot)) & 3;
        return mode < 2 ? key.whole : mode == 2 ? key.segments : key.topAndRest;
    }
  }

  /** Insertion sort: a record has a few dozen keys, and equal prefixes must end up adjacent. */
  private void sortBySegments() {
    for (int i = 1; i < count; i++) {
      int item = items[i];
      String[] segs = itemSegments[i];
      int j = i - 1;
      while (j >= 0 && compare(itemSegments[j], segs) > 0) {
        items[j + 1] = items[j];
        itemSegments[j + 1] = itemSegments[j];
        j--;
      }
      items[j + 1] = item;
      itemSegments[j + 1] = segs;
    }
  }

  private static int compare(String[] a, String[] b) {
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = a[i].compareTo(b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  private void writeObject(EventRecord r) {
    sb.append('{');
    int depth = 0;
    needComma[0] = false;
    for (int i = 0; i < count; i++) {
      String[] segs = itemSegments[i];
      int leaf = segs.length - 1;
      int common = 0;
      while (common < depth && common < leaf && open[common].equals(segs[common])) {
        common++;
      }
      while (depth > common) {
        sb.append('}');
        depth--;
      }
      for (int d = common; d < leaf; d++) {
        comma(depth);
        string(segs[d]);
        sb.append(":{");
        open[depth++] = segs[d];
        needComma[depth] = false;
      }
      comma(depth);
      string(segs[leaf]);
      sb.append(':');
      value(r, items[i]);
    }
    while (depth-- > 0) {
      sb.append('}');
    }
    sb.append('}');
  }

  private void value(EventRecord r, int item) {
    if (item >= TIME_ITEM) {
      switch (item - TIME_ITEM) {
        case 0 -> {
          if (r.badStart != null) {
            string(r.badStart);
          } else {
            appendTime(sb, r, r.start, true);
          }
        }
        case 1 -> appendTime(sb, r, r.end, true);
        case 2 -> sb.append(r.end - r.start);
        default -> appendTime(sb, r, r.start, true);
      }
    } else if (item >= FLAG_ITEM) {
      sb.append((r.flags & (1 << (item - FLAG_ITEM))) != 0);
    } else {
      switch (r.keys[item].kind) {
        case STRING -> string(r.text[item]);
        case LONG -> sb.append(r.number[item]);
        default -> sb.append(r.number[item] != 0);
      }
    }
  }

  private void comma(int depth) {
    if (needComma[depth]) {
      sb.append(',');
    }
    needComma[depth] = true;
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }
}
