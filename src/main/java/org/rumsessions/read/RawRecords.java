package org.rumsessions.read;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.rumsessions.config.InputFormat;
import org.rumsessions.common.DateRange;

/**
 * Reads the raw records of the input partitions a run needs, exactly the files it listed, each with
 * its path as listed and its partition date from the listing. JSON Lines go line by line from the
 * file into the decoder; Parquet and Delta rows are turned into the same JSON text first, so one
 * decoder serves every format.
 */
public final class RawRecords {
  /** The raw text of a record. */
  public static final String VALUE = "value";

  /** The file a record was read from, as listed. */
  public static final String SOURCE_FILE = "source_file";

  /** The date of the input partition a record was read from. */
  public static final String INPUT_DATE = "input_date";
  private static final String FILE = "file";
  private static final String DAY = "day";

  private final SparkSession spark;
  private final String input;
  private final InputFormat format;

  public RawRecords(SparkSession spark, String input, InputFormat format) {
    this.spark = spark;
    this.input = input;
    this.format = format;
  }

  /** Records that are read when decoded: every record (and every unreadable file) to one row. */
  public interface Records {
    /**
     * The decoder's rows, made in the tasks that read the records.
     *
     * @param schema the Spark types of the decoder's rows
     */
    Dataset<Row> decode(RecordDecoder decoder, StructType schema);
  }

  /**
   * The result of a read: the records, the partition dates found, the files read, and what under
   * the input root was not read (paths relative to it, sorted; empty for Delta input).
   */
  public record Read(Records records, List<LocalDate> partitions, List<InputFiles.InputFile> files, List<String> ignored) {}

  /**
   * Reads every partition of {@code window} that exists, file by file as listed now.
   *
   * @throws MissingInputException when a date of {@code required} has no partition
   */
  public Read read(DateRange required, DateRange window) {
    if (format == InputFormat.DELTA) {
      return readDelta(required, window);
    }
    InputFiles.Listing listing = new InputFiles(spark, input, format).list(window.days());
    checkRequired(required, listing.partitions());
    return new Read(readFiles(listing.files()), listing.partitions(), listing.files(), listing.ignored());
  }

  /** The records of the given listed files (JSON Lines, or Parquet files of a folder layout or of a Delta table). */
  public Records readFiles(List<InputFiles.InputFile> files) {
    List<InputFiles.InputFile> listed = List.copyOf(files);
    if (format == InputFormat.JSON) {
      return records(decoder -> JsonLines.read(spark, listed, decoder));
    }
    return records(decoder -> parquet(listed, decoder));
  }

  private Records records(java.util.function.Function<RecordDecoder, RDD<InternalRow>> decode) {
    return (decoder, schema) -> InternalRows.frame(spark, decode.apply(decoder), schema);
  }

  /**
   * Parquet files in groups of one schema, each group one scan turned into JSON text; every row
   * finds its listed file and date by the path Spark reports for it. A file whose footer is damaged
   * becomes one unreadable row.
   */
  private RDD<InternalRow> parquet(List<InputFiles.InputFile> files, RecordDecoder decoder) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ParquetFooters.Groups groups = ParquetFooters.group(spark, files);
    JavaRDD<InternalRow> rows = jsc.emptyRDD();
    if (!groups.bySchema().isEmpty()) {
      Dataset<Row> text = null;
      for (List<InputFiles.InputFile> group : groups.bySchema()) {
        String[] paths = group.stream().map(InputFiles.InputFile::path).toArray(String[]::new);
        Dataset<Row> scan = spark.read().option("basePath", input).parquet(paths);
        Dataset<Row> t = scan.select(json(scan).as(VALUE), col("_metadata.file_path").as(FILE));
        text = text == null ? t : text.unionAll(t);
      }
      Broadcast<ListedFiles> listed = jsc.broadcast(new ListedFiles(files));
      rows =
          InternalRows.of(text).toJavaRDD().mapPartitions(it -> new TextRecords(it, decoder, listed.value()));
    }
    if (!groups.unreadable().isEmpty()) {
      List<String[]> bad = new ArrayList<>();
      groups.unreadable().forEach((f, detail) -> bad.add(new String[] {f.path(), String.valueOf(f.date().toEpochDay()), detail}));
      rows = rows.union(
          jsc.parallelize(bad, 1).map(b -> decoder.unreadable(UTF8String.fromString(b[0]), Integer.valueOf(b[1]), b[2])));
    }
    return rows.rdd();
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
    // The table's own date column is the partition; the file is the one Spark reports.
    Dataset<Row> text =
        inWindow.select(json(inWindow).as(VALUE), col("_metadata.file_path").as(FILE), expr("unix_date(to_date(`date`))").as(DAY));
    List<InputFiles.InputFile> files = new InputFiles(spark, input, format).list(window.days()).files();
    Records records = records(decoder -> InternalRows.of(text).toJavaRDD().mapPartitions(it -> new TextRecords(it, decoder, null)).rdd());
    return new Read(records, present, files, List.of());
  }

  /** Columnar rows as JSON text, the one form the decoder reads; partition columns left out. */
  private static Column json(Dataset<Row> rows) {
    List<Column> fields = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!c.equals("hour") && !c.equals("date")) {
        fields.add(col("`" + c + "`"));
      }
    }
    return to_json(
        struct(fields.toArray(Column[]::new)),
        Map.of("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX", "timeZone", "UTC"));
  }

  /**
   * The listed files by the path Spark reports for a row ({@code _metadata.file_path}, a URI that
   * may be escaped) and by the listed path itself.
   */
  static final class ListedFiles implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, Integer> index = new HashMap<>();
    private final String[] paths;
    private final Integer[] days;

    ListedFiles(List<InputFiles.InputFile> files) {
      paths = new String[files.size()];
      days = new Integer[files.size()];
      for (int i = 0; i < files.size(); i++) {
        InputFiles.InputFile f = files.get(i);
        paths[i] = f.path();
        days[i] = f.date() == null ? null : (int) f.date().toEpochDay();
        index.put(f.path(), i);
        index.put(new Path(f.path()).toUri().toString(), i);
      }
    }

    int of(String reported) {
      Integer i = index.get(reported);
      if (i == null) {
        // Never silently: a row of no listed file would have no partition date.
        throw new IllegalStateException("read a file that was not listed: " + reported);
      }
      return i;
    }
  }

  /** Rows of (JSON text, file, [day]) to decoded rows; the file's name and date found once per file. */
  private static final class TextRecords implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final RecordDecoder decoder;
    private final ListedFiles listed;
    private UTF8String reported;
    private UTF8String file;
    private Integer day;
    private InternalRow next;

    TextRecords(Iterator<InternalRow> rows, RecordDecoder decoder, ListedFiles listed) {
      this.rows = rows;
      this.decoder = decoder;
      this.listed = listed;
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        InternalRow r = rows.next();
        UTF8String f = r.getUTF8String(1);
        if (!f.equals(reported)) {
          reported = f.clone();
          if (listed == null) {
            file = reported;
          } else {
            int i = listed.of(reported.toString());
            file = UTF8String.fromString(listed.paths[i]);
            day = listed.days[i];
          }
        }
        if (listed == null) {
          day = r.isNullAt(2) ? null : r.getInt(2);
        }
        next = r.isNullAt(0) ? null : decoder.record(r.getUTF8String(0), file, day);
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow r = next;
      next = null;
      return r;
    }
  }

  private static void checkRequired(DateRange required, List<LocalDate> present) {
    List<LocalDate> missing = required.days().stream().filter(d -> !present.contains(d)).toList();
    if (!missing.isEmpty()) {
      throw new MissingInputException(
          "input partition(s) missing for " + missing + "; every date of the range must have a date=YYYY-MM-DD partition");
    }
  }
}
