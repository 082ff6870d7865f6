package org.rumsessions.tables;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one definition of an output table: its name, its partition column, its comment, every leaf
 * column with its type and comment, and a comment for every struct that groups columns. The schema
 * a table is created with, its Delta column comments, {@code DESCRIBE TABLE}, the README's column
 * lists and the rows the pipeline writes all come from here.
 */
public record TableSpec(
    String name,
    String partitionColumn,
    String comment,
    List<ColumnSpec> columns,
    Map<String, String> structComments,
    Map<String, String> properties) {

  public TableSpec {
    columns = List.copyOf(columns);
    structComments = Map.copyOf(structComments);
    properties = Map.copyOf(properties);
    schemaOf(columns, structComments);
  }

  public ColumnSpec column(String dottedName) {
    for (ColumnSpec c : columns) {
      if (c.name().equals(dottedName)) {
        return c;
      }
    }
    throw new IllegalArgumentException(name + " has no column " + dottedName);
  }

  /** The table's schema: leaf columns nested by their dotted names, every field nullable and commented. */
  public StructType schema() {
    return schemaOf(columns, structComments);
  }

  /**
   * The table's rows from a frame that has every leaf column under its {@link ColumnSpec#flatName()}:
   * each cast to its declared type and nested, in the declared order. Extra columns are left out.
   */
  public Dataset<Row> shape(Dataset<Row> flat) {
    LinkedHashMap<String, Column> byName = new LinkedHashMap<>();
    for (ColumnSpec c : columns) {
      byName.put(c.name(), col(c.flatName()).cast(c.type()));
    }
    return flat.select(Nesting.nest(byName));
  }

  /** One row of a flat table (no structs), from values by column name; absent names are null. */
  public Row row(Map<String, Object> values) {
    for (String key : values.keySet()) {
      column(key);
    }
    Object[] out = new Object[columns.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(columns.get(i).name());
    }
    return RowFactory.create(out);
  }

  private static StructType schemaOf(List<ColumnSpec> columns, Map<String, String> structComments) {
    Node root = new Node();
    for (ColumnSpec c : columns) {
      Node n = root;
      String[] parts = c.name().split("\\.");
      for (int i = 0; i < parts.length - 1; i++) {
        n = n.children.computeIfAbsent(parts[i], k -> new Node());
        if (n.leaf != null) {
          throw new IllegalArgumentException("column is both a value and a struct: " + c.name());
        }
      }
      Node leaf = n.children.computeIfAbsent(parts[parts.length - 1], k -> new Node());
      if (leaf.leaf != null || !leaf.children.isEmpty()) {
        throw new IllegalArgumentException("column defined twice or also a struct: " + c.name());
      }
      leaf.leaf = c;
    }
    return (StructType) root.type("", structComments);
  }

  /** A node of the column tree: a leaf column, or a struct of its children. */
  private static final class Node {
    final Map<String, Node> children = new LinkedHashMap<>();
    ColumnSpec leaf;

    DataType type(String path, Map<String, String> structComments) {
      if (leaf != null) {
        return leaf.type();
      }
      List<StructField> fields = new ArrayList<>();
      for (Map.Entry<String, Node> e : children.entrySet()) {
        String childPath = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        Node child = e.getValue();
        String comment = child.leaf != null ? child.leaf.comment() : structComments.get(childPath);
        if (comment == null) {
          throw new IllegalArgumentException("struct " + childPath + " needs a comment");
        }
        Metadata md = new MetadataBuilder().putString("comment", comment).build();
        fields.add(new StructField(e.getKey(), child.type(childPath, structComments), true, md));
      }
      return new StructType(fields.toArray(StructField[]::new));
    }
  }
}
