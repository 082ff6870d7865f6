package org.rumsessions.tables;

import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/**
 * Builds nested struct columns from dotted names, so that Spark SQL reads the semantic-dictionary
 * names as written: {@code dt.rum.session.id} becomes {@code struct dt { rum { session { id }}}}.
 */
public final class Nesting {
  private Nesting() {}

  /** The top-level columns for the given dotted names, in order of first appearance. */
  public static Column[] nest(LinkedHashMap<String, Column> byDottedName) {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (Map.Entry<String, Column> e : byDottedName.entrySet()) {
      insert(tree, e.getKey().split("\\."), 0, e.getValue());
    }
    return build(tree).toArray(Column[]::new);
  }

  @SuppressWarnings("unchecked")
  private static void insert(Map<String, Object> node, String[] path, int i, Column value) {
    if (i == path.length - 1) {
      if (node.containsKey(path[i])) {
        throw new IllegalArgumentException("column defined twice: " + String.join(".", path));
      }
      node.put(path[i], value);
      return;
    }
    Object child = node.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
    if (!(child instanceof Map)) {
      throw new IllegalArgumentException("column is both a value and a struct: " + String.join(".", path));
    }
    insert((Map<String, Object>) child, path, i + 1, value);
  }

  @SuppressWarnings("unchecked")
  private static List<Column> build(Map<String, Object> node) {
    List<Column> cols = new ArrayList<>();
    for (Map.Entry<String, Object> e : node.entrySet()) {
      if (e.getValue() instanceof Column c) {
        cols.add(c.as(e.getKey()));
      } else {
        cols.add(struct(build((Map<String, Object>) e.getValue()).toArray(Column[]::new)).as(e.getKey()));
      }
    }
    return cols;
  }
}
