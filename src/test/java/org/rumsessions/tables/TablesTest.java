package org.rumsessions.tables;

import static org.rumsessions.testing.RawEvents.event;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.run.ForgetJob;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/**
 * Each table as the pipeline writes it is its declaration: the same columns, types and nesting, and
 * a comment on every column and every nested field, as DESCRIBE TABLE and the schema show them.
 */
class TablesTest extends SparkTestBase {
  private Pipeline pipeline;

  @BeforeAll
  void runOnce() throws Exception {
    Path tmp = Files.createTempDirectory("tables");
    RawEvents raw = new RawEvents(tmp.resolve("raw"));
    List<Object> day = new ArrayList<>();
    day.add(event("s1", "e1", "2026-11-26T10:00:00Z", "characteristics.has_navigation", true, "browser.name", "Firefox",
        "session_properties.plan", "gold", "custom.field", "x"));
    day.add(event("s1", "e2", "2026-11-26T10:01:00Z", "characteristics.has_request", true, "http.response.status_code", 503));
    day.add("{not json");
    day.add(event("gone", "g1", "2026-11-26T11:00:00Z", "characteristics.has_navigation", true));
    raw.write("2026-11-26", "a.jsonl", day);
    raw.emptyPartition("2026-11-25");
    // The next day's event moves the data horizon past s1's timeout, so that s1 is closed and written.
    raw.write("2026-11-27", "a.jsonl", List.of(event("s2", "e3", "2026-11-27T09:00:00Z")));
    pipeline = new Pipeline(spark(), raw.root(), tmp.resolve("wh")).with(new PipelineConfig.Quality(0.5));
    pipeline.run("2026-11-26", "2026-11-26");
    // The sixth table, forget's tombstones.
    pipeline.forget(ForgetJob.By.SESSION_ID, "gone", false);
  }

  @Test
  void everyTableIsWrittenAsDeclaredCommentsIncluded() {
    Assertions.assertEquals(6, Tables.ALL.size());
    for (TableSpec t : Tables.ALL) {
      StructType written = pipeline.table(t.name()).schema();
      Assertions.assertEquals(describe(t.schema()), describe(written), t.name());
      Assertions.assertTrue(pipeline.table(t.name()).count() > 0, t.name() + " has rows");
    }
  }

  @Test
  void describeTableShowsACommentOnEveryColumn() {
    for (TableSpec t : Tables.ALL) {
      String path = Path.of(pipeline.config().warehouse().path(), t.name()).toString();
      for (Row r : spark().sql("DESCRIBE TABLE delta.`" + path + "`").collectAsList()) {
        String column = r.getString(0);
        if (column.isEmpty() || column.startsWith("#")) {
          break; // the partitioning section repeats the partition column
        }
        Assertions.assertFalse(r.isNullAt(2) || r.getString(2).isBlank(), t.name() + "." + column + " has no comment");
      }
    }
  }

  @Test
  void everyNestedFieldHasAComment() {
    for (TableSpec t : Tables.ALL) {
      List<String> missing = new ArrayList<>();
      uncommented(pipeline.table(t.name()).schema(), "", missing);
      Assertions.assertEquals(List.of(), missing, t.name());
    }
  }

  @Test
  void aDeclarationRefusesAColumnWithoutAComment() {
    Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new ColumnSpec("x", org.apache.spark.sql.types.DataTypes.LongType, " "));
    Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new TableSpec(
            "t", null, "c",
            List.of(new ColumnSpec("a.b", org.apache.spark.sql.types.DataTypes.LongType, "leaf")),
            java.util.Map.of(), java.util.Map.of()));
  }

  /** Names, types, nesting and comments, without nullability (Delta reads every column back nullable). */
  private static String describe(DataType type) {
    if (type instanceof StructType s) {
      StringBuilder b = new StringBuilder("struct<");
      for (StructField f : s.fields()) {
        String comment = f.metadata().contains("comment") ? f.metadata().getString("comment") : null;
        b.append(f.name()).append(':').append(describe(f.dataType())).append(" '").append(comment).append("', ");
      }
      return b.append('>').toString();
    }
    if (type instanceof ArrayType a) {
      return "array<" + describe(a.elementType()) + ">";
    }
    if (type instanceof MapType m) {
      return "map<" + describe(m.keyType()) + "," + describe(m.valueType()) + ">";
    }
    return type.simpleString();
  }

  private static void uncommented(StructType s, String prefix, List<String> out) {
    for (StructField f : s.fields()) {
      String path = prefix + f.name();
      if (!f.metadata().contains("comment") || f.metadata().getString("comment").isBlank()) {
        out.add(path);
      }
      if (f.dataType() instanceof StructType inner) {
        uncommented(inner, path + ".", out);
      }
    }
  }
}
