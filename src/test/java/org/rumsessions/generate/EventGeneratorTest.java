package org.rumsessions.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rumsessions.cli.RumSessions;
import org.rumsessions.normalize.EventParser;
import org.rumsessions.normalize.ParsedEvents;

/**
 * The generator's output against the contract: determinism, layout, and that every feature the
 * pipeline must handle occurs. One JSON run for coverage, three small ones for determinism (two
 * identical, one with another seed) and a tiny Parquet run share one local Spark session.
 */
class EventGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final LocalDate FROM = LocalDate.parse("2026-11-26");
  private static final int DAYS = 3;
  private static final int SESSIONS_PER_DAY = 300;
  /** The determinism runs are smaller: they compare content, they need no rare cases. */
  private static final int SMALL_SESSIONS_PER_DAY = 40;
  private static final double BAD_FRACTION = 0.05;
  private static final long HOUR = 3_600_000_000_000L;
  private static final Pattern FILE_NAME = Pattern.compile("events-s\\d{5}(-retry)?\\.jsonl(\\.gz)?");

  @TempDir static Path tmp;
  private static SparkSession spark;
  private static Output first;
  private static Output small;
  private static Output smallAgain;
  private static Output smallOtherSeed;

  @BeforeAll
  static void generate() throws IOException {
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("EventGeneratorTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    first = Output.read(generate("first", SESSIONS_PER_DAY, 11, BAD_FRACTION));
    small = Output.read(generate("small", SMALL_SESSIONS_PER_DAY, 11, BAD_FRACTION));
    smallAgain = Output.read(generate("again", SMALL_SESSIONS_PER_DAY, 11, BAD_FRACTION));
    smallOtherSeed = Output.read(generate("other", SMALL_SESSIONS_PER_DAY, 12, 0.0));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Path generate(String name, int sessionsPerDay, long seed, double badFraction) {
    Path out = tmp.resolve(name);
    PrintStream stdout = System.out;
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    System.setOut(new PrintStream(report, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          RumSessions.execute(
              "generate", "--out", out.toString(), "--from", FROM.toString(), "--days", Integer.toString(DAYS),
              "--sessions-per-day", Integer.toString(sessionsPerDay), "--seed", Long.toString(seed),
              "--bad-fraction", Double.toString(badFraction));
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, code, "generate failed: " + report);
    assertTrue(report.toString(StandardCharsets.UTF_8).startsWith("generated "), report.toString(StandardCharsets.UTF_8));
    return out;
  }

  // --- Determinism and layout -------------------------------------------------------------------

  @Test
  void sameSeedGivesTheSameLinesInEveryDateFolder() {
    assertEquals(small.linesByFolder.keySet(), smallAgain.linesByFolder.keySet());
    for (String folder : small.linesByFolder.keySet()) {
      assertEquals(sorted(small.linesByFolder.get(folder)), sorted(smallAgain.linesByFolder.get(folder)), folder);
    }
  }

  @Test
  void anotherSeedGivesOtherLines() {
    String folder = "date=" + FROM;
    Set<String> a = new HashSet<>(small.linesByFolder.get(folder));
    long shared = smallOtherSeed.linesByFolder.get(folder).stream().filter(a::contains).count();
    assertEquals(0, shared, "lines shared between seeds 11 and 12");
  }

  @Test
  void oneSessionIsTheSameWhenGeneratedTwice() {
    GeneratorSpec spec = new GeneratorSpec(FROM, 1, 100, 5, 0.05, OutputFormat.JSON);
    assertEquals(oneSession(spec, 17), oneSession(spec, 17));
    assertNotEquals(oneSession(spec, 17), oneSession(spec, 18));
  }

  @Test
  void writesOnlyDateFoldersOfTheRequestedDaysWithJsonLinesFiles() throws IOException {
    Set<String> expected = new HashSet<>();
    for (int d = 0; d < DAYS; d++) {
      expected.add("date=" + FROM.plusDays(d));
    }
    try (Stream<Path> top = Files.list(first.root)) {
      assertEquals(expected, top.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
    }
    Set<String> endings = new HashSet<>();
    for (Path f : first.files) {
      String name = f.getFileName().toString();
      assertTrue(FILE_NAME.matcher(name).matches(), "unexpected file " + f);
      endings.add(name.endsWith(".gz") ? "gz" : "plain");
    }
    assertEquals(Set.of("gz", "plain"), endings);
  }

  @Test
  void writesParquetWithDottedColumnsAndNoMarkerFiles() throws IOException {
    Path out = tmp.resolve("parquet");
    String[] args = {
      "generate", "--out", out.toString(), "--from", FROM.toString(), "--days", "1", "--sessions-per-day", "20", "--seed", "3", "--format", "parquet"
    };
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, RumSessions.execute(args));
    } finally {
      System.setOut(stdout);
    }
    long rows = 0;
    try (Stream<Path> all = Files.walk(out)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        assertTrue(p.getFileName().toString().endsWith(".parquet"), "unexpected file " + p);
        assertEquals("date=" + FROM, p.getParent().getFileName().toString());
        // The footer tells columns and rows without another Spark job.
        try (ParquetFileReader reader =
            ParquetFileReader.open(HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(p.toUri()), new Configuration()))) {
          List<String> columns = reader.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).toList();
          assertTrue(columns.containsAll(List.of("dt.rum.session.id", "start_time", "session_properties", "characteristics.has_request")), columns.toString());
          rows += reader.getRecordCount();
        }
      }
    }
    assertTrue(rows > 100, rows + " rows");
  }

  // --- Contract coverage ------------------------------------------------------------------------

  @Test
  void coversEveryCharacteristicsFlag() {
    for (Key flag : Keys.FLAGS) {
      assertTrue(first.good().anyMatch(e -> e.isTrue(flag.name)), flag.name + " never true");
    }
  }

  @Test
  void coversBothKeySpellingsAndMixedRecords() {
    assertTrue(first.good().anyMatch(e -> e.spelling == Spelling.FLAT));
    assertTrue(first.good().anyMatch(e -> e.spelling == Spelling.NESTED));
    assertTrue(first.good().anyMatch(e -> e.spelling == Spelling.MIXED));
    assertTrue(first.good().anyMatch(e -> e.has("interaction.type")));
    assertTrue(first.good().anyMatch(e -> e.has("interaction.name")));
    assertTrue(first.good().anyMatch(e -> e.has("dt.rum.user_tag")));
    assertTrue(first.good().anyMatch(e -> e.has("user.identifier")));
  }

  @Test
  void coversBothTimeFormatsAndOptionalEndAndDuration() {
    assertTrue(first.good().anyMatch(e -> e.node("start_time").isIntegralNumber()));
    for (int digits : new int[] {3, 6, 9}) {
      Pattern p = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{" + digits + "}(Z|[+-]\\d\\d:\\d\\d)");
      assertTrue(first.good().anyMatch(e -> p.matcher(e.text("start_time")).matches()), digits + " fractional digits");
    }
    assertTrue(first.good().anyMatch(e -> e.text("start_time").endsWith("+00:00")));
    assertTrue(first.good().anyMatch(e -> e.has("end_time") && !e.has("duration")));
    assertTrue(first.good().anyMatch(e -> !e.has("end_time") && e.has("duration")));
    assertTrue(first.good().anyMatch(e -> e.has("end_time") && e.has("duration")));
    assertTrue(first.good().anyMatch(e -> !e.has("end_time") && !e.has("duration")));
    assertTrue(first.good().anyMatch(e -> e.has("timestamp")));
  }

  @Test
  void coversFrontendsUserTypesErrorsAndStatusClasses() {
    assertEquals(Set.of("web", "mobile"), values("dt.rum.application.type"));
    assertEquals(Set.of("real_user", "robot", "synthetic"), values("dt.rum.user_type"));
    assertEquals(Set.of("request", "exception", "csp", "crash", "anr", "reported"), values("error.type"));
    assertTrue(values("navigation.type").containsAll(Set.of("navigate", "soft_navigation")));
    Set<Long> classes = first.good().filter(e -> e.has("http.response.status_code")).map(e -> e.node("http.response.status_code").asLong() / 100).collect(Collectors.toSet());
    assertEquals(Set.of(2L, 3L, 4L, 5L), classes);
    for (String k : List.of("browser.name", "os.name", "device.type", "device.model.identifier", "geo.country.iso_code", "client.ip", "client.isp", "app.version")) {
      assertTrue(values(k).size() > 1, k + " has no mix");
    }
  }

  @Test
  void failedRequestsAreErrorsAndCrashesAndAnrsComeFromApps() {
    first.good()
        .filter(e -> e.has("http.response.status_code") && e.node("http.response.status_code").asLong() >= 400)
        .forEach(e -> {
          assertTrue(e.isTrue("characteristics.has_error") && e.isTrue("characteristics.has_failed_request"), e.line);
          assertEquals("request", e.text("error.type"), e.line);
        });
    first.good()
        .filter(e -> e.isTrue("characteristics.has_crash") || e.isTrue("characteristics.has_anr"))
        .forEach(e -> assertEquals("mobile", e.text("dt.rum.application.type"), e.line));
    first.good()
        .filter(e -> e.isTrue("characteristics.has_exception"))
        .forEach(e -> assertEquals("exception", e.text("error.type"), e.line));
  }

  @Test
  void setsSessionPropertiesAndUserTagsMidSession() {
    Map<String, List<Event>> sessions = first.sessions();
    boolean lateTag = false;
    boolean lateProperty = false;
    int mostProperties = 0;
    for (List<Event> events : sessions.values()) {
      lateTag |= !events.get(0).has("dt.rum.user_tag") && events.stream().anyMatch(e -> e.has("dt.rum.user_tag"));
      lateProperty |= !events.get(0).hasPrefix("session_properties.") && events.stream().anyMatch(e -> e.hasPrefix("session_properties."));
      Set<String> names = new HashSet<>();
      events.forEach(e -> e.fields.keySet().stream().filter(k -> k.startsWith("session_properties.")).forEach(names::add));
      mostProperties = Math.max(mostProperties, names.size());
    }
    assertTrue(lateTag, "no user tag set after the first event");
    assertTrue(lateProperty, "no session property set after the first event");
    assertTrue(mostProperties > 100, "no session with more than 100 properties: " + mostProperties);
  }

  @Test
  void hasSessionsAcrossMidnightLongerThanSixHoursAndWithIdleGaps() {
    boolean midnight = false;
    boolean longer = false;
    boolean gap = false;
    for (List<Event> events : first.sessions().values()) {
      long start = events.get(0).start;
      long last = events.get(events.size() - 1).start;
      midnight |= day(start) != day(last);
      longer |= last - start > 6 * HOUR;
      long latestEnd = events.get(0).end;
      for (Event e : events) {
        gap |= e.start - latestEnd > HOUR / 2;
        latestEnd = Math.max(latestEnd, e.end);
      }
    }
    assertTrue(midnight, "no session crosses midnight");
    assertTrue(longer, "no session longer than 6 h");
    assertTrue(gap, "no idle gap over 30 minutes within a session");
  }

  @Test
  void keepsEveryTimeInTheRequestedDaysAndLateEventsInTheNextFolder() {
    long from = FROM.toEpochDay();
    boolean late = false;
    for (Event e : first.good().toList()) {
      assertTrue(day(e.start) >= from && day(e.end) < from + DAYS, e.line);
      long folder = LocalDate.parse(e.folder.substring("date=".length())).toEpochDay();
      assertTrue(folder == day(e.start) || folder == day(e.start) + 1, e.folder + ": " + e.line);
      late |= folder != day(e.start);
    }
    assertTrue(late, "no event in the next day's folder");
  }

  @Test
  void repeatsSomeEventsIdenticallyInTheSameFileAnotherFileAndTheNextDaysFolder() {
    Map<String, List<Event>> byId = first.good().collect(Collectors.groupingBy(e -> e.text("id"), LinkedHashMap::new, Collectors.toList()));
    boolean sameFile = false;
    boolean otherFile = false;
    boolean otherFolder = false;
    int duplicated = 0;
    for (List<Event> copies : byId.values()) {
      if (copies.size() < 2) {
        continue;
      }
      duplicated++;
      Event a = copies.get(0);
      Event b = copies.get(1);
      assertEquals(a.line, b.line, "same id, different content");
      sameFile |= a.file.equals(b.file);
      otherFile |= !a.file.equals(b.file) && a.folder.equals(b.folder);
      otherFolder |= !a.folder.equals(b.folder);
    }
    double share = duplicated / (double) byId.size();
    assertTrue(share > 0.005 && share < 0.02, "duplicated share " + share);
    assertTrue(sameFile && otherFile && otherFolder, "duplicate placements: " + sameFile + otherFile + otherFolder);
  }

  @Test
  void corruptsLinesNearTheBadFractionAndTheDecoderAgrees() {
    long corrupt = first.events.stream().filter(e -> e.corrupt).count();
    double share = corrupt / (double) first.events.size();
    assertTrue(Math.abs(share - BAD_FRACTION) < 0.01, "corrupt share " + share);
    assertEquals(0, smallOtherSeed.events.stream().filter(e -> e.corrupt).count(), "corrupt lines with --bad-fraction 0");
    Set<String> reasons = new HashSet<>();
    EventParser parser = new EventParser(1);
    int reason = ParsedEvents.SCHEMA.fieldIndex(ParsedEvents.REJECT_REASON);
    for (Event e : first.events) {
      Row row = parser.parse(e.line, e.file, e.folder.substring("date=".length()));
      String rejected = row.getString(reason);
      if (e.corrupt) {
        assertTrue(rejected != null, "decoder accepted a corrupt line: " + e.line);
        reasons.add(rejected);
      } else {
        assertNull(rejected, "decoder rejected a good line (" + rejected + "): " + e.line);
      }
    }
    assertEquals(Set.of("malformed_record", "missing_session_id", "invalid_start_time", "end_before_start"), reasons);
  }

  @Test
  void writesEveryKeyStyleAsTheSameFields() throws JsonProcessingException {
    EventRecord r = new EventRecord();
    r.begin();
    r.put(Keys.ID, "e-1");
    r.put(Keys.SESSION_ID, "S-0");
    r.put(Keys.STATUS_CODE, 503);
    r.put(Keys.ERROR_IS_FATAL, false);
    r.put(Keys.WINDOW_WIDTH, 1280);
    r.put(Keys.BROWSER_NAME, "Chrome \"beta\"\n");
    r.put(Key.sessionProperty("plan"), "gold");
    r.flag(Flags.REQUEST | Flags.ERROR);
    r.times(1_795_733_053_391_411_884L, 1_795_733_053_491_411_884L);
    r.writeEnd = true;
    r.writeDuration = true;
    r.fractionDigits = 9;
    JsonLine json = new JsonLine();
    Map<String, JsonNode> flat = flatten(JSON.readTree(json.format(r)));
    for (EventRecord.KeyStyle style : EventRecord.KeyStyle.values()) {
      for (long bits : new long[] {0, -1, 0x5555_5555_5555_5555L, 0xaaaa_aaaa_aaaa_aaaaL, 0x1234_5678_9abc_def0L}) {
        r.keyStyle = style;
        r.mixBits = bits;
        assertEquals(flat, flatten(JSON.readTree(json.format(r))), style + " " + Long.toHexString(bits));
      }
    }
    assertEquals(12, flat.size(), flat.toString());
    assertEquals("2026-11-26T22:44:13.391411884Z", flat.get("start_time").asText());
  }

  // --- Helpers ----------------------------------------------------------------------------------

  private static List<String> oneSession(GeneratorSpec spec, long index) {
    List<String> lines = new ArrayList<>();
    JsonLine json = new JsonLine();
    RecordSink sink =
        new RecordSink() {
          @Override
          public boolean canTruncate() {
            return true;
          }

          @Override
          public void write(EventRecord r, long folderDay, int batch, double keepFraction) {
            lines.add(folderDay + "/" + batch + "/" + keepFraction + " " + json.format(r));
          }

          @Override
          public void repeatLast(long folderDay, int batch) {
            lines.add(folderDay + "/" + batch + " again");
          }
        };
    new EventGenerator(new EventEmitter(spec, sink)).generate(SessionScenario.draw(spec, spec.firstDay(), index));
    assertFalse(lines.isEmpty());
    return lines;
  }

  private static Set<String> values(String key) {
    return first.good().filter(e -> e.has(key)).map(e -> e.text(key)).collect(Collectors.toSet());
  }

  private static long day(long nanos) {
    return Math.floorDiv(nanos, GeneratorSpec.DAY_NANOS);
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().toList();
  }

  static Map<String, JsonNode> flatten(JsonNode node) {
    Map<String, JsonNode> out = new TreeMap<>();
    flatten("", node, out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getValue().isObject()) {
        flatten(prefix + f.getKey() + ".", f.getValue(), out);
      } else {
        out.put(prefix + f.getKey(), f.getValue());
      }
    }
  }

  private enum Spelling {
    FLAT,
    NESTED,
    MIXED
  }

  /** One line of the output, decoded the way the contract describes. */
  private static final class Event {
    final String folder;
    final String file;
    final String line;
    final Map<String, JsonNode> fields;
    final Spelling spelling;
    final boolean corrupt;
    final long start;
    final long end;

    Event(String folder, String file, String line) {
      this.folder = folder;
      this.file = file;
      this.line = line;
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        node = null;
      }
      this.fields = node == null || !node.isObject() ? Map.of() : flatten(node);
      this.spelling = node == null ? null : spelling(node);
      Long s = nanos(fields.get("start_time"));
      Long e = s;
      if (fields.containsKey("end_time")) {
        e = nanos(fields.get("end_time"));
      } else if (s != null && fields.containsKey("duration")) {
        e = s + fields.get("duration").asLong();
      }
      JsonNode session = fields.get("dt.rum.session.id");
      this.corrupt = node == null || session == null || session.asText().isBlank() || s == null || e == null || e < s;
      this.start = s == null ? 0 : s;
      this.end = e == null ? 0 : e;
    }

    private static Spelling spelling(JsonNode node) {
      boolean dotted = false;
      boolean nested = false;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        dotted |= f.getKey().contains(".");
        nested |= f.getValue().isObject();
      }
      return dotted && nested ? Spelling.MIXED : nested ? Spelling.NESTED : Spelling.FLAT;
    }

    private static Long nanos(JsonNode v) {
      if (v == null) {
        return null;
      }
      if (v.isIntegralNumber()) {
        return v.asLong();
      }
      try {
        OffsetDateTime t = OffsetDateTime.parse(v.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return t.toEpochSecond() * 1_000_000_000L + t.getNano();
      } catch (DateTimeParseException e) {
        return null;
      }
    }

    boolean has(String key) {
      return fields.containsKey(key);
    }

    boolean hasPrefix(String prefix) {
      return fields.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    boolean isTrue(String key) {
      JsonNode v = fields.get(key);
      return v != null && v.isBoolean() && v.asBoolean();
    }

    JsonNode node(String key) {
      return fields.get(key);
    }

    String text(String key) {
      JsonNode v = fields.get(key);
      return v == null ? "" : v.asText();
    }
  }

  /** Every line of one generated folder tree. */
  private static final class Output {
    Path root;
    final List<Path> files = new ArrayList<>();
    final Map<String, List<String>> linesByFolder = new TreeMap<>();
    final List<Event> events = new ArrayList<>();

    static Output read(Path root) throws IOException {
      Output o = new Output();
      o.root = root;
      try (Stream<Path> all = Files.walk(root)) {
        o.files.addAll(all.filter(Files::isRegularFile).sorted().toList());
      }
      for (Path f : o.files) {
        String folder = f.getParent().getFileName().toString();
        try (InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f)) {
          for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            o.linesByFolder.computeIfAbsent(folder, k -> new ArrayList<>()).add(line);
            o.events.add(new Event(folder, f.getFileName().toString(), line));
          }
        }
      }
      return o;
    }

    Stream<Event> good() {
      return events.stream().filter(e -> !e.corrupt);
    }

    /** Good events by session id, in start order, each event once. */
    Map<String, List<Event>> sessions() {
      Map<String, List<Event>> out = new HashMap<>();
      Set<String> seen = new HashSet<>();
      good().filter(e -> seen.add(e.text("id"))).forEach(e -> out.computeIfAbsent(e.text("dt.rum.session.id"), k -> new ArrayList<>()).add(e));
      out.values().forEach(l -> l.sort((a, b) -> Long.compare(a.start, b.start)));
      return out;
    }
  }
}
