package org.rumsessions.sql;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Prints query results: {@code json} as JSON Lines (nested structs as nested objects, timestamps
 * as ISO-8601 UTC, nulls kept), {@code csv} with a header (nested values as JSON text), or a
 * {@code table} for people.
 */
public final class ResultPrinter {
  /** The output formats of the {@code sql} command. */
  public enum Format {
    TABLE,
    CSV,
    JSON;

    public static Format parse(String s) {
      return valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  private static final JsonFactory JSON = new ObjectMapper().getFactory();

  private ResultPrinter() {}

  public static long print(Dataset<Row> result, Format format, PrintStream out, int maxTableRows) {
    StructType schema = result.schema();
    long n = 0;
    switch (format) {
      case JSON -> {
        Iterator<Row> rows = result.toLocalIterator();
        while (rows.hasNext()) {
          out.println(json(rows.next(), schema));
          n++;
        }
      }
      case CSV -> {
        out.println(String.join(",", java.util.Arrays.stream(schema.fieldNames()).map(ResultPrinter::csv).toList()));
        Iterator<Row> rows = result.toLocalIterator();
        while (rows.hasNext()) {
          Row r = rows.next();
          StringBuilder line = new StringBuilder();
          for (int i = 0; i < schema.size(); i++) {
            if (i > 0) {
              line.append(',');
            }
            Object v = r.get(i);
            if (v != null) {
              line.append(csv(text(v, schema.fields()[i].dataType())));
            }
          }
          out.println(line);
          n++;
        }
      }
      default -> {
        List<Row> rows = result.limit(maxTableRows + 1).collectAsList();
        n = Table.print(rows.subList(0, Math.min(rows.size(), maxTableRows)), schema, out);
        if (rows.size() > maxTableRows) {
          out.println("(showing the first " + maxTableRows + " rows; use --format csv or json for all)");
        }
      }
    }
    out.flush();
    return n;
  }

  public static String json(Row row, StructType schema) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      writeStruct(g, row, schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** A cell as text: plain for scalars, JSON for nested values. */
  static String text(Object v, DataType type) {
    if (v == null) {
      return "";
    }
    if (type instanceof StructType || type instanceof ArrayType || type instanceof MapType) {
      StringWriter w = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(w)) {
        writeValue(g, v, type);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return w.toString();
    }
    return scalar(v);
  }

  private static void writeStruct(JsonGenerator g, Row row, StructType schema) throws IOException {
    g.writeStartObject();
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      g.writeFieldName(fields[i].name());
      writeValue(g, row.get(i), fields[i].dataType());
    }
    g.writeEndObject();
  }

  private static void writeValue(JsonGenerator g, Object v, DataType type) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (type instanceof StructType s) {
      writeStruct(g, (Row) v, s);
    } else if (type instanceof ArrayType a) {
      g.writeStartArray();
      for (Object e : elements(v)) {
        writeValue(g, e, a.elementType());
      }
      g.writeEndArray();
    } else if (type instanceof MapType m) {
      // Sorted by key: a Scala map iterates in hash order, which differs between Scala 2.12 and 2.13.
      java.util.TreeMap<String, Object> sorted = new java.util.TreeMap<>();
      for (var e : JavaConverters.mapAsJavaMap((scala.collection.Map<?, ?>) v).entrySet()) {
        sorted.put(scalar(e.getKey()), e.getValue());
      }
      g.writeStartObject();
      for (var e : sorted.entrySet()) {
        g.writeFieldName(e.getKey());
        writeValue(g, e.getValue(), m.valueType());
      }
      g.writeEndObject();
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Short s) {
      g.writeNumber(s);
    } else if (v instanceof Byte b) {
      g.writeNumber(b);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Float f) {
      g.writeNumber(f);
    } else if (v instanceof BigDecimal d) {
      g.writeNumber(d);
    } else {
      g.writeString(scalar(v));
    }
  }

  private static Iterable<?> elements(Object v) {
    if (v instanceof scala.collection.Seq<?> s) {
      return JavaConverters.seqAsJavaList(s);
    }
    if (v instanceof Object[] a) {
      return List.of(a);
    }
    return (List<?>) v;
  }

  static String scalar(Object v) {
    if (v instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof Instant i) {
      return i.toString();
    }
    if (v instanceof Date d) {
      return d.toLocalDate().toString();
    }
    if (v instanceof LocalDate d) {
      return d.toString();
    }
    if (v instanceof byte[] b) {
      return Base64.getEncoder().encodeToString(b);
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return String.valueOf(v);
  }

  private static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
