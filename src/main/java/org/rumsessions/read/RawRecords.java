package org.rumsessions.read;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.rumsessions.config.InputFormat;
import org.rumsessions.common.DateRange;

/**
 * Reads the raw records of the input partitions a run needs, as text: one row per record with its
 * source file and its input partition's date. JSON Lines are read as lines (gzip by file ending);
 * Parquet and Delta rows are turned into the same JSON text, so one decoder serves every format.
 */
public final class RawRecords {
  /** The raw text of a record. */
  public static final String VALUE = "value";

  /** The file a record was read from, as listed. */
  public static final String SOURCE_FILE = "source_file";

  /** The date of the input partition a record was read from. */
  public static final String INPUT_DATE = "input_date";
  private static final String DATE_IN_PATH = "date=(\\d{4}-\\d{2}-\\d{2})";

  private final SparkSession spark;
  private final String input;
  private final InputFormat format;

  public RawRecords(SparkSession spark, String input, InputFormat format) {
    this.spark = spark;
    this.input = input;
    this.format = format;
  }

  /** The result of a read: the records, the partition dates found, and the files read. */
  public record Read(Dataset<Row> records, List<LocalDate> partitions, List<InputFiles.InputFile> files) {}

  /**
   * Reads every partition of {@code window} that exists, file by file as listed now.
   *
   * @throws MissingInputException when a date of {@code required} has no partition
   */
  public Read read(DateRange required, DateRange window) {
    if (format == InputFormat.DELTA) {
      return readDelta(required, window);
    }
    List<LocalDate> present = new ArrayList<>();
    List<InputFiles.InputFile> files = new InputFiles(spark, input, format).list(window.days(), present);
    checkRequired(required, present);
    return new Read(readFiles(files.stream().map(InputFiles.InputFile::path).toList()), present, files);
  }

  /**
   * The records of the given files (JSON Lines, or Parquet files of a folder layout or of a Delta
   * table partitioned by date), with their input partition's date taken from the path.
   */
  public Dataset<Row> readFiles(List<String> files) {
    String[] paths = files.toArray(String[]::new);
    Dataset<Row> records;
    if (paths.length == 0) {
      records = spark.createDataFrame(List.of(), new StructType().add(VALUE, "string").add(RawRecords.SOURCE_FILE, "string"));
    } else if (format == InputFormat.JSON) {
      records = spark.read().text(paths).select(col(VALUE), col("_metadata.file_path").as(RawRecords.SOURCE_FILE));
    } else {
      records =
          fromRows(spark.read().option("basePath", input).option("mergeSchema", "true").parquet(paths), col("_metadata.file_path"))
              .select(col(VALUE), col(RawRecords.SOURCE_FILE));
    }
    return records.withColumn(
        RawRecords.INPUT_DATE, regexp_extract(col(RawRecords.SOURCE_FILE), DATE_IN_PATH, 1));
  }

  private Read readDelta(DateRange required, DateRange window) {
    Dataset<Row> table = spark.read().format("delta").load(input);
    if (!Arrays.asList(table.columns()).contains("date")) {
      throw new MissingInputException(
          "the Delta input " + input + " has no 'date' column; the pipeline needs its events partitioned by date");
    }
    Dataset<Row> inWindow = table.where(window.predicate("date"));
    List<LocalDate> present =
        inWindow.select(col("date").cast("string")).distinct().collectAsList().stream()
            .map(r -> LocalDate.parse(r.getString(0)))
            .sorted()
            .toList();
    checkRequired(required, present);
    Dataset<Row> records =
        fromRows(inWindow, col("_metadata.file_path"))
            .withColumn(RawRecords.INPUT_DATE, date_format(col("date"), "yyyy-MM-dd"))
            .drop("date");
    List<InputFiles.InputFile> files = new ArrayList<>();
    new InputFiles(spark, input, format).list(window.days(), new ArrayList<>()).forEach(files::add);
    return new Read(records, present, files);
  }

  /** Turns columnar rows back into JSON text, the one form the decoder reads. */
  private static Dataset<Row> fromRows(Dataset<Row> rows, Column file) {
    List<Column> fields = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!c.equals("hour") && !c.equals("date")) {
        fields.add(col("`" + c + "`"));
      }
    }
    Column json =
        to_json(
            struct(fields.toArray(Column[]::new)),
            Map.of("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", "timeZone", "UTC"));
    List<Column> out = new ArrayList<>(List.of(json.as(VALUE), file.as(RawRecords.SOURCE_FILE)));
    if (Arrays.asList(rows.columns()).contains("date")) {
      out.add(col("date"));
    } else {
      out.add(lit(null).cast("date").as("date"));
    }
    return rows.select(out.toArray(Column[]::new));
  }

  private static void checkRequired(DateRange required, List<LocalDate> present) {
    List<LocalDate> missing = required.days().stream().filter(d -> !present.contains(d)).toList();
    if (!missing.isEmpty()) {
      throw new MissingInputException(
          "input partition(s) missing for " + missing + "; every date of the range must have a date=YYYY-MM-DD partition");
    }
  }
}
