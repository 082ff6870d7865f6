package org.rumsessions.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The JSON paths under which a record can hold a dotted name. The contract lets a record write
 * {@code a.b.c} flat ({@code {"a.b.c": 1}}), nested ({@code {"a": {"b": {"c": 1}}}}) or anything in
 * between ({@code {"a": {"b.c": 1}}}, {@code {"a.b": {"c": 1}}}): every way of cutting the name into
 * consecutive groups of segments, 2^(n-1) paths for n segments.
 */
final class JsonSpellings {
  private JsonSpellings() {}

  static List<String> paths(String dottedName) {
    String[] segments = dottedName.split("\\.");
    List<String> paths = new ArrayList<>();
    int cuts = segments.length - 1;
    // Bit i of mask set: a new key starts after segment i. Mask 0 is the flat spelling.
    for (int mask = 0; mask < (1 << cuts); mask++) {
      StringBuilder path = new StringBuilder("$");
      StringBuilder key = new StringBuilder(segments[0]);
      for (int i = 0; i < cuts; i++) {
        if ((mask & (1 << i)) != 0) {
          appendKey(path, key);
          key.setLength(0);
        } else {
          key.append('.');
        }
        key.append(segments[i + 1]);
      }
      appendKey(path, key);
      paths.add(path.toString());
    }
    return paths;
  }

  private static void appendKey(StringBuilder path, CharSequence key) {
    path.append(".\"").append(key).append('"');
  }
}
