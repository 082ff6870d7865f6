package org.rumsessions.read;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.rumsessions.testing.RawEvents.event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.rumsessions.config.InputFormat;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.normalize.Normalizer;
import org.rumsessions.run.RunCounts;
import org.rumsessions.testing.Pipeline;
import org.rumsessions.testing.RawEvents;
import org.rumsessions.testing.SparkTestBase;

/**
 * Input that breaks nothing and loses nothing: damaged gzip files, names in upper case, a root
 * inside a date folder, files that are not input, Parquet whose types change between days. Real
 * files on disk, the real job.
 */
class HostileInputTest extends SparkTestBase {

  private static List<Object> events(String day, String prefix, int n) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(event(prefix + (i % 4), prefix + "-e" + i, String.format("%sT%02d:%02d:00Z", day, 8 + i / 60, i % 60),
          "characteristics.has_navigation", i % 4 == 0));
    }
    return out;
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(b)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return b.toByteArray();
  }

  private static String lines(List<Object> records) {
    StringBuilder b = new StringBuilder();
    for (Object r : records) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) r;
      b.append(RawEvents.json(m)).append('\n');
    }
    return b.toString();
  }

  /** The listed path string of a local file, as the run records it in source_file and input_files. */
  private static String listed(Path p) {
    return new org.apache.hadoop.fs.Path(p.toUri()).toString();
  }

  @Test
  void damagedGzipKeepsItsReadableLinesAndNamesTheFileWithTheRestRejected() throws Exception {
    Path tmp = Files.createTempDirectory("hostile");
    // The input root itself lies in a date folder: only the date folders below it count.
    Path root = tmp.resolve("lake/date=2020-01-01/rum");
    RawEvents raw = new RawEvents(root);
    raw.write("2026-11-25", "a.jsonl", events("2026-11-25", "d25-", 5));
    raw.write("2026-11-27", "a.jsonl", events("2026-11-27", "d27-", 5));
    raw.write("2026-11-26", "good.jsonl", events("2026-11-26", "good-", 20));
    Path day = root.resolve("date=2026-11-26");
    Files.write(day.resolve("UPPER.JSONL.GZ"), gzip(lines(events("2026-11-26", "upper-", 10))));
    byte[] cut = gzip(lines(events("2026-11-26", "cut-", 400)));
    Path cutFile = Files.write(day.resolve("cut.jsonl.gz"), Arrays.copyOf(cut, cut.length / 2));
    Path fakeFile = Files.write(day.resolve("fake.json.gz"), lines(events("2026-11-26", "fake-", 3)).getBytes(StandardCharsets.UTF_8));
    // Not input: names, hidden files and folders, and files outside a date folder.
    Files.writeString(day.resolve("_SUCCESS"), "");
    Files.writeString(day.resolve(".upload.jsonl"), "{}");
    Files.writeString(day.resolve("notes.txt"), "{}");
    Files.writeString(day.resolve("upload.jsonl.part"), "{}");
    Files.createDirectories(day.resolve("_temporary/0"));
    Files.writeString(day.resolve("_temporary/0/x.jsonl"), lines(events("2026-11-26", "tmp-", 2)));
    Files.writeString(root.resolve("stray.jsonl"), lines(events("2026-11-26", "stray-", 2)));
    Files.createDirectories(root.resolve("dt=2026-11-26"));
    Files.writeString(root.resolve("dt=2026-11-26/x.jsonl"), lines(events("2026-11-26", "dt-", 2)));

    Pipeline p = new Pipeline(spark(), root, tmp.resolve("wh")).with(new PipelineConfig.Quality(0.05));
    RunCounts c = p.run("2026-11-26", "2026-11-26");

    Assertions.assertEquals(
        List.of("date=2026-11-26/.upload.jsonl", "date=2026-11-26/_SUCCESS", "date=2026-11-26/_temporary/0/x.jsonl",
            "date=2026-11-26/notes.txt", "date=2026-11-26/upload.jsonl.part", "dt=2026-11-26/", "stray.jsonl"),
        c.run().ignoredFiles());
    Assertions.assertTrue(c.report().contains("ignored files           7  (date=2026-11-26/.upload.jsonl, "), c.report());
    Assertions.assertEquals(Map.of("unreadable_file", 2L), c.input().rejectedByReason());

    List<Row> unreadable =
        p.sql("SELECT source_file, detail, raw_record, date FROM rejected_events WHERE reason = 'unreadable_file' ORDER BY source_file");
    Assertions.assertEquals(2, unreadable.size());
    Row cutRow = unreadable.get(0);
    Assertions.assertEquals(listed(cutFile), cutRow.getString(0));
    Assertions.assertNull(cutRow.get(2), "no record text to keep");
    Assertions.assertEquals(LocalDate.parse("2026-11-26"), cutRow.getDate(3).toLocalDate());
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("after (\\d+) lines").matcher(cutRow.getString(1));
    Assertions.assertTrue(m.find(), cutRow.getString(1));
    long readable = Long.parseLong(m.group(1));
    Assertions.assertTrue(readable > 0 && readable < 400, cutRow.getString(1));
    Row fakeRow = unreadable.get(1);
    Assertions.assertEquals(listed(fakeFile), fakeRow.getString(0));
    Assertions.assertTrue(fakeRow.getString(1).contains("after 0 lines"), fakeRow.getString(1));

    // The readable part of the cut file is there, every line of it, and so is the upper-case gzip.
    Map<String, Long> byFile = new java.util.TreeMap<>();
    for (Row r : p.sql("SELECT source_file, count(*) FROM user_events GROUP BY source_file")) {
      byFile.put(r.getString(0), r.getLong(1));
    }
    Assertions.assertEquals(readable, byFile.get(listed(cutFile)));
    Assertions.assertEquals(10L, byFile.get(listed(day.resolve("UPPER.JSONL.GZ"))));
    Assertions.assertEquals(20L, byFile.get(listed(day.resolve("good.jsonl"))));
    Assertions.assertEquals(20 + 10 + readable + 2, c.input().recordsRead(), "every readable line, and one row per damaged file");
    Assertions.assertEquals(c.input().recordsRead(), c.input().recordsRejected() + c.input().duplicates() + c.input().eventsAccepted());
    Assertions.assertEquals(List.of(LocalDate.parse("2026-11-25"), LocalDate.parse("2026-11-26"), LocalDate.parse("2026-11-27")),
        c.run().inputDatesRead());

    // The limit still applies: two damaged files among few records are too many for a strict run.
    p.with(new PipelineConfig.Quality(0.001));
    Exception e = Assertions.assertThrows(RuntimeException.class, () -> p.run("2026-11-26", "2026-11-26"));
    Assertions.assertTrue(e.getMessage().contains("unreadable_file"), e.getMessage());
  }

  /** The reader hands the decoder exactly the lines Spark's text source reads, split or not. */
  @Test
  void theRecordsAreTheLinesSparksTextSourceReads() throws Exception {
    Path tmp = Files.createTempDirectory("lines");
    Path day = Files.createDirectories(tmp.resolve("raw/date=2026-11-26"));
    StringBuilder b = new StringBuilder("\uFEFF");
    String[] ends = {"\n", "\r\n", "\r", "\n\n", "\r\r\n"};
    for (int i = 0; i < 300; i++) {
      b.append("{\"i\":").append(i).append(",\"t\":\"").append("é".repeat(i % 7)).append("\"}").append(ends[i % ends.length]);
    }
    Path file = Files.writeString(day.resolve("a.jsonl"), b.toString());
    InputFiles.InputFile listed = new InputFiles.InputFile(listed(file), Files.size(file), 0, LocalDate.parse("2026-11-26"));
    String maxBytes = spark().conf().get("spark.sql.files.maxPartitionBytes");
    String openCost = spark().conf().get("spark.sql.files.openCostInBytes");
    try {
      for (String split : List.of("128MB", "97b")) {
        spark().conf().set("spark.sql.files.maxPartitionBytes", split);
        spark().conf().set("spark.sql.files.openCostInBytes", "1b");
        List<String> spark = spark().read().text(file.toString()).as(Encoders.STRING()).collectAsList();
        Dataset<Row> ours =
            new RawRecords(spark(), tmp.resolve("raw").toString(), InputFormat.JSON).readFiles(List.of(listed))
                .decode(new Text(), new StructType().add("line", "string"));
        Assertions.assertTrue(ours.rdd().getNumPartitions() > (split.equals("97b") ? 10 : 0));
        List<String> read = new ArrayList<>(ours.as(Encoders.STRING()).collectAsList());
        Assertions.assertEquals(300 + 120, read.size(), "every line, blank ones too");
        List<String> sparkSorted = new ArrayList<>(spark);
        sparkSorted.sort(null);
        read.sort(null);
        Assertions.assertEquals(sparkSorted, read, "ranges of " + split);
      }
    } finally {
      spark().conf().set("spark.sql.files.maxPartitionBytes", maxBytes);
      spark().conf().set("spark.sql.files.openCostInBytes", openCost);
    }
  }

  /** A decoder that keeps the text: what the reader hands over, and nothing else. */
  private static final class Text implements RecordDecoder {
    @Override
    public InternalRow record(UTF8String text, UTF8String file, Integer inputDay) {
      return new GenericInternalRow(new Object[] {text.clone()});
    }

    @Override
    public InternalRow unreadable(UTF8String file, Integer inputDay, String detail) {
      throw new AssertionError("nothing here is unreadable: " + detail);
    }
  }

  @Test
  void aFileThatTheStorageCannotReadFailsTheRunNamingTheFile() throws Exception {
    Path tmp = Files.createTempDirectory("gone");
    Path gone = tmp.resolve("raw/date=2026-11-26/gone.jsonl.gz");
    InputFiles.InputFile listed = new InputFiles.InputFile(listed(gone), 100, 0, LocalDate.parse("2026-11-26"));
    RawRecords.Records records = new RawRecords(spark(), tmp.resolve("raw").toString(), InputFormat.JSON).readFiles(List.of(listed));
    Exception e = Assertions.assertThrows(Exception.class, () -> Normalizer.decode(records, 1, org.rumsessions.normalize.PersonalData.AS_RECEIVED).count());
    StringBuilder chain = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      chain.append(t.getMessage()).append('\n');
    }
    Assertions.assertTrue(chain.toString().contains("cannot read the input file " + listed(gone)), chain.toString());
  }

  /**
   * A producer changed start_time from ISO text to epoch nanoseconds: every day is read with its
   * own schema, and the events are the same as from JSON. A Parquet file cut short is named.
   */
  @Test
  void parquetWhoseTypesChangeBetweenDaysIsReadPerSchema() throws Exception {
    Path tmp = Files.createTempDirectory("parquet-types");
    RawEvents raw = new RawEvents(tmp.resolve("json"));
    for (String d : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
      raw.write(d, "a.jsonl", events(d, d + "-", 12));
    }
    // A space in the path: Spark reports files by escaped URI, the listing by plain path.
    Path parquet = tmp.resolve("parquet input");
    for (String d : List.of("2026-11-25", "2026-11-26", "2026-11-27")) {
      Dataset<Row> rows = spark().read().json(raw.root().resolve("date=" + d).toString());
      if (d.equals("2026-11-27")) {
        rows = rows.withColumn("start_time", expr("unix_micros(to_timestamp(start_time)) * 1000"));
      }
      rows.write().parquet(parquet.resolve("date=" + d).toString());
    }
    // A second file on the 26th with the new type: two schemas within one day.
    spark().read().json(raw.root().resolve("date=2026-11-27").toString())
        .withColumn("start_time", expr("unix_micros(to_timestamp(start_time)) * 1000 - 86400000000000"))
        .withColumn("id", expr("concat('moved-', id)"))
        .withColumn("dt.rum.session.id", expr("concat('moved-', `dt.rum.session.id`)"))
        .write().parquet(parquet.resolve("date=2026-11-26/second").toString());
    Assertions.assertEquals("long", spark().read().parquet(parquet.resolve("date=2026-11-27").toString()).schema().apply("start_time").dataType().typeName());

    Pipeline fromJson = new Pipeline(spark(), raw.root(), tmp.resolve("wh-json"));
    RunCounts j = fromJson.run("2026-11-25", "2026-11-27");
    Pipeline fromParquet = new Pipeline(spark(), parquet, tmp.resolve("wh-parquet")).format("parquet");
    RunCounts q = fromParquet.run("2026-11-25", "2026-11-27");
    Assertions.assertEquals(j.input().recordsRead() + 12, q.input().recordsRead());
    Assertions.assertEquals(0, q.input().recordsRejected(), q.input().rejectedByReason().toString());
    String[] same = {"id", "start_time", "end_time", "summary_status", "characteristics"};
    Dataset<Row> jsonEvents = fromJson.table("user_events").selectExpr(same).where(col("id").startsWith("moved-").unary_$bang());
    Dataset<Row> parquetEvents = fromParquet.table("user_events").selectExpr(same).where(col("id").startsWith("moved-").unary_$bang());
    Assertions.assertEquals(36L, jsonEvents.count());
    Assertions.assertEquals(0L, jsonEvents.except(parquetEvents).count() + parquetEvents.except(jsonEvents).count());
    Assertions.assertEquals(12L, fromParquet.table("user_events").where(col("id").startsWith("moved-")).count());
    // Each event names the file it came from, exactly as listed.
    List<String> listedPaths = new InputFiles(spark(), parquet.toString(), InputFormat.PARQUET).listAll().stream().map(InputFiles.InputFile::path).toList();
    for (Row r : fromParquet.sql("SELECT DISTINCT source_file FROM user_events")) {
      Assertions.assertTrue(listedPaths.contains(r.getString(0)), r.getString(0) + " in " + listedPaths);
    }

    // Cut short: its footer is gone; the run goes on and names it.
    Path part = Files.list(parquet.resolve("date=2026-11-26")).filter(f -> f.toString().endsWith(".parquet")).findFirst().orElseThrow();
    byte[] bytes = Files.readAllBytes(part);
    Path cut = Files.write(parquet.resolve("date=2026-11-26/cut.parquet"), Arrays.copyOf(bytes, bytes.length / 2));
    RunCounts again = fromParquet.with(new PipelineConfig.Quality(0.5)).run("2026-11-26", "2026-11-26");
    Assertions.assertEquals(Map.of("unreadable_file", 1L), again.input().rejectedByReason());
    Row r = fromParquet.sql("SELECT source_file, detail FROM rejected_events WHERE reason = 'unreadable_file'").get(0);
    Assertions.assertEquals(listed(cut), r.getString(0));
    Assertions.assertTrue(r.getString(1).startsWith("not a readable Parquet file"), r.getString(1));
  }
}
