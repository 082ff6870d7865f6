package org.rumsessions.sql;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** A plain text table for the terminal. */
final class Table {
  private static final int MAX_CELL = 60;

  private Table() {}

  static long print(List<Row> rows, StructType schema, PrintStream out) {
    int n = schema.size();
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[n];
    String[] header = schema.fieldNames();
    for (int i = 0; i < n; i++) {
      width[i] = header[i].length();
    }
    for (Row r : rows) {
      String[] line = new String[n];
      for (int i = 0; i < n; i++) {
        String t = r.isNullAt(i) ? "NULL" : ResultPrinter.text(r.get(i), schema.fields()[i].dataType());
        if (t.length() > MAX_CELL) {
          t = t.substring(0, MAX_CELL - 3) + "...";
        }
        line[i] = t;
        width[i] = Math.max(width[i], t.length());
      }
      cells.add(line);
    }
    String rule = rule(width);
    out.println(rule);
    out.println(line(header, width));
    out.println(rule);
    for (String[] line : cells) {
      out.println(line(line, width));
    }
    out.println(rule);
    out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
    return rows.size();
  }

  private static String rule(int[] width) {
    StringBuilder b = new StringBuilder("+");
    for (int w : width) {
      b.append("-".repeat(w + 2)).append('+');
    }
    return b.toString();
  }

  private static String line(String[] values, int[] width) {
    StringBuilder b = new StringBuilder("|");
    for (int i = 0; i < values.length; i++) {
      b.append(' ').append(values[i]).append(" ".repeat(width[i] - values[i].length())).append(" |");
    }
    return b.toString();
  }
}
