package org.rumsessions.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One output table: its folder name under the warehouse, partition column, and the comments that
 * {@code DESCRIBE TABLE} shows, keyed by dotted column path.
 */
public record TableSpec(
    String name,
    String partitionColumn,
    String comment,
    Map<String, String> columnComments,
    Map<String, String> properties) {

  public TableSpec(String name, String partitionColumn, String comment, Map<String, String> columnComments) {
    this(name, partitionColumn, comment, columnComments, Map.of());
  }

  /** The schema with every column nullable and commented, as the table is created. */
  public StructType commentedSchema(StructType schema) {
    return (StructType) annotate(schema, "");
  }

  private DataType annotate(DataType type, String prefix) {
    if (!(type instanceof StructType struct)) {
      return type;
    }
    List<StructField> fields = new ArrayList<>();
    for (StructField f : struct.fields()) {
      String path = prefix.isEmpty() ? f.name() : prefix + "." + f.name();
      Metadata md = f.metadata();
      String comment = columnComments.get(path);
      if (comment != null) {
        md = new MetadataBuilder().withMetadata(md).putString("comment", comment).build();
      }
      fields.add(new StructField(f.name(), annotate(f.dataType(), path), true, md));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }
}
