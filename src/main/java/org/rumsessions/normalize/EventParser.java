package org.rumsessions.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import org.rumsessions.read.RecordDecoder;

/**
 * Decodes one raw record (a JSON object, flat dotted keys or nested objects or both) into a row of
 * {@link ParsedEvents#SCHEMA}, or classifies it with a {@link RejectReason}. One pass of Jackson's
 * streaming parser per record: no intermediate tree, and no Spark JSON schema inference.
 */
public final class EventParser implements RecordDecoder, Serializable {
  /** The longest string value a record may hold, in characters (Jackson's default since 2.15.1). */
  public static final int MAX_STRING_LENGTH = 20_000_000;

  /** The deepest nesting of objects and arrays (Jackson's default). */
  public static final int MAX_NESTING_DEPTH = 1_000;

  /** The most characters of a number (Jackson's default). */
  public static final int MAX_NUMBER_LENGTH = 1_000;

  /** The longest key, in characters (Jackson's default since 2.16, which 2.15 does not check). */
  public static final int MAX_NAME_LENGTH = 50_000;

  private static final JsonFactory JSON = jsonFactory();
  private static final Object JSON_NULL = new Object();

  /** An object under a key that takes a value: kept only to be rejected, like an array there. */
  private static final Object JSON_OBJECT = new Object();
  private static final long DAY_NS = 86_400_000_000_000L;

  /** The keys with a fixed slot: the four times, every plain field, then the second spellings. */
  private static final List<String> SLOT_NAMES = slotNames();

  private static final Map<String, Integer> SLOTS = slotsByName();
  private static final int START_SLOT = 0;
  private static final int FIRST_FIELD_SLOT = 4;
  private static final int SESSION_ID_SLOT = SLOT_NAMES.indexOf(EventFields.SESSION_ID);
  private static final int[] ALIAS_SLOTS =
      EventFields.ALIASES.keySet().stream().mapToInt(SLOT_NAMES::indexOf).toArray();
  private static final int[] ALIAS_TARGETS =
      EventFields.ALIASES.keySet().stream().mapToInt(a -> SLOT_NAMES.indexOf(EventFields.ALIASES.get(a))).toArray();

  private static List<String> slotNames() {
    List<String> names =
        new ArrayList<>(List.of(EventTimes.START_TIME, EventTimes.END_TIME, EventTimes.TIMESTAMP, EventTimes.DURATION));
    EventFields.ALL.forEach(f -> names.add(f.name()));
    names.addAll(EventFields.ALIASES.keySet());
    return List.copyOf(names);
  }

  private static Map<String, Integer> slotsByName() {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < SLOT_NAMES.size(); i++) {
      m.put(SLOT_NAMES.get(i), i);
    }
    return m;
  }

  /**
   * The parser, with its limits set here rather than left to the Jackson version on the classpath:
   * Spark 3.5 brings Jackson 2.15 and Spark 4 brings 2.18, whose defaults and checks differ. The key
   * length limit exists only from 2.16 on; it is set when there, and checked by the decoder itself
   * in any case, so that both give the same rows. Locations in Jackson's messages never quote the
   * source (2.15 does by default), so no record text can travel in an exception.
   */
  static JsonFactory jsonFactory() {
    StreamReadConstraints.Builder limits =
        StreamReadConstraints.builder()
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxNumberLength(MAX_NUMBER_LENGTH);
    try {
      limits.getClass().getMethod("maxNameLength", int.class).invoke(limits, MAX_NAME_LENGTH);
    } catch (ReflectiveOperationException e) {
      // Jackson 2.15: no such limit; readObject checks key lengths.
    }
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(limits.build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    // The mapper is the codec that reads arrays as trees.
    return new ObjectMapper(factory).getFactory();
  }

  private final int maxDaysFromPartition;
  private final PersonalData personal;

  /**
   * @param maxDaysFromPartition how many days an event's start may lie from its input partition's
   *     date before it is rejected (the days a run reads around its range)
   */
  public EventParser(int maxDaysFromPartition) {
    this(maxDaysFromPartition, PersonalData.DEFAULTS);
  }

  /** @param personal what becomes of client IPs and user tags, and who was forgotten */
  public EventParser(int maxDaysFromPartition, PersonalData personal) {
    this.maxDaysFromPartition = maxDaysFromPartition;
    this.personal = personal;
  }

  /**
   * The decoder of the pipeline: one record of an input partition (its date as epoch days, or null
   * when the path has none) to Spark's internal row of {@link ParsedEvents#SCHEMA}, or null for a
   * blank line. Internal rows spare Spark the generic Row encoder, which cost as much as the JSON
   * decoding itself (measured: 34 s against 17 s for 2 million records).
   */
  public InternalRow parseInternal(UTF8String raw, UTF8String sourceFile, Integer inputDay) {
    // sourceFile is kept as given: the caller passes a copy that no later record overwrites.
    if (raw == null) {
      return null;
    }
    byte[] utf8;
    int offset;
    if (raw.getBaseObject() instanceof byte[] b) {
      // Read in place: the reader's line buffer, without a copy per record.
      utf8 = b;
      offset = (int) (raw.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET);
    } else {
      utf8 = raw.getBytes();
      offset = 0;
    }
    int length = raw.numBytes();
    if (isBlank(utf8, offset, length)) {
      return null;
    }
    Object[] out = values(utf8, offset, length, inputDay);
    out[0] = inputDay;
    out[1] = sourceFile;
    out[2] = out[3] == null ? null : raw.clone();
    out[ParsedEvents.RECORD_HASH_INDEX] = recordHash(raw);
    personal.protect(out);
    for (int i = 3; i < out.length; i++) {
      out[i] = internal(out[i]);
    }
    return new GenericInternalRow(out);
  }

  @Override
  public InternalRow record(UTF8String text, UTF8String file, Integer inputDay) {
    return parseInternal(text, file, inputDay);
  }

  /**
   * The row of a file's unreadable rest: no record text, so the hash is the file's, which keeps it
   * apart from the rejected rows of other files.
   */
  @Override
  public InternalRow unreadable(UTF8String file, Integer inputDay, String detail) {
    Object[] out = new Object[ParsedEvents.SCHEMA.size()];
    out[0] = inputDay;
    out[1] = file;
    out[3] = UTF8String.fromString(RejectReason.UNREADABLE_FILE.code());
    out[4] = UTF8String.fromString(detail);
    out[ParsedEvents.RECORD_HASH_INDEX] = file == null ? 0L : recordHash(file);
    return new GenericInternalRow(out);
  }

  /**
   * The same decoding as {@link #parseInternal} into an external {@link Row} (maps as Scala maps,
   * the input date as {@link java.sql.Date}), for tests and tools that look at single records.
   */
  public Row parse(String raw, String sourceFile, String inputDate) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    Integer day = inputDate == null ? null : (int) LocalDate.parse(inputDate).toEpochDay();
    byte[] utf8 = raw.getBytes(StandardCharsets.UTF_8);
    Object[] out = values(utf8, 0, utf8.length, day);
    out[0] = inputDate == null ? null : java.sql.Date.valueOf(LocalDate.parse(inputDate));
    out[1] = sourceFile;
    out[2] = out[3] == null ? null : raw;
    out[ParsedEvents.RECORD_HASH_INDEX] = recordHash(UTF8String.fromString(raw));
    personal.protect(out);
    for (int i = 3; i < out.length; i++) {
      if (out[i] instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, String> typed = (Map<String, String>) m;
        out[i] = scalaMap(typed);
      }
    }
    return RowFactory.create(out);
  }

  /** Spark's xxhash64 of the record text (seed 42), the last tie-break between copies of an event. */
  private static long recordHash(UTF8String raw) {
    return XXH64.hashUnsafeBytes(raw.getBaseObject(), raw.getBaseOffset(), raw.numBytes(), 42L);
  }

  /**
   * The decoded values as plain Java objects (maps as sorted Java maps); slots 0 to 2 unset.
   * Jackson reads the UTF-8 bytes directly. A record it cannot read that way is read again as text,
   * which decides what it is: text decoding replaces malformed UTF-8 rather than failing on it.
   */
  private Object[] values(byte[] utf8, int offset, int length, Integer inputDay) {
    Fields fields;
    try {
      fields = flatten(JSON.createParser(utf8, offset, length));
    } catch (StreamConstraintsException | KeyTooLongException e) {
      // Over a limit: reading it again as text would cost as much and end the same way.
      return reject(new Object[ParsedEvents.SCHEMA.size()], RejectReason.MALFORMED_RECORD, malformedDetail(e));
    } catch (IOException | RuntimeException e) {
      return values(new String(utf8, offset, length, StandardCharsets.UTF_8), inputDay);
    }
    if (fields == null) {
      return reject(new Object[ParsedEvents.SCHEMA.size()], RejectReason.MALFORMED_RECORD, "a record must be a JSON object");
    }
    return decode(fields, new Object[ParsedEvents.SCHEMA.size()], inputDay);
  }

  private Object[] values(String raw, Integer inputDay) {
    Object[] out = new Object[ParsedEvents.SCHEMA.size()];
    Fields fields;
    try {
      fields = flatten(JSON.createParser(raw));
    } catch (IOException | RuntimeException e) {
      return reject(out, RejectReason.MALFORMED_RECORD, malformedDetail(e));
    }
    if (fields == null) {
      return reject(out, RejectReason.MALFORMED_RECORD, "a record must be a JSON object");
    }
    return decode(fields, out, inputDay);
  }

  /**
   * Why a record is no JSON, for {@code detail}: which parser limit it passes, or where its JSON
   * breaks. Never Jackson's message, which quotes the record ("Unrecognized token 'abc'").
   */
  static String malformedDetail(Exception e) {
    if (e instanceof KeyTooLongException) {
      return limitDetail("name");
    }
    if (e instanceof StreamConstraintsException) {
      // Which limit, from the words of the message only (2.15: "String length (...)", 2.16 on:
      // "String value length (...)", "Document nesting depth (...)", "Name length (...)").
      String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
      return limitDetail(
          m.contains("nesting depth") || m.startsWith("depth") ? "depth"
              : m.startsWith("name") ? "name"
              : m.contains("number") || m.contains("scale") ? "number"
              : m.contains("string") ? "string"
              : "other");
    }
    if (e instanceof JsonProcessingException j) {
      JsonLocation at = j.getLocation();
      return at != null && at.getColumnNr() > 0
          ? "not valid JSON: it breaks at character " + at.getColumnNr()
          : "not valid JSON";
    }
    return "not valid JSON (" + e.getClass().getSimpleName() + ")";
  }

  private static String limitDetail(String limit) {
    return switch (limit) {
      case "string" -> String.format("a string is longer than the parser's limit of %,d characters", MAX_STRING_LENGTH);
      case "number" -> String.format("a number is longer than the parser's limit of %,d characters", MAX_NUMBER_LENGTH);
      case "depth" -> String.format("objects and arrays nest deeper than the parser's limit of %,d levels", MAX_NESTING_DEPTH);
      case "name" -> String.format("a key is longer than the parser's limit of %,d characters", MAX_NAME_LENGTH);
      default -> "the record exceeds a limit of the JSON parser";
    };
  }

  /** As {@link String#isBlank()}, without decoding a line that is plain ASCII. */
  private static boolean isBlank(byte[] utf8, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = utf8[i];
      if (b < 0) {
        return new String(utf8, offset, length, StandardCharsets.UTF_8).isBlank();
      }
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  private static Object internal(Object v) {
    if (v instanceof String s) {
      return UTF8String.fromString(s);
    }
    if (v instanceof Map<?, ?> m) {
      UTF8String[] keys = new UTF8String[m.size()];
      UTF8String[] vals = new UTF8String[m.size()];
      int i = 0;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        keys[i] = UTF8String.fromString((String) e.getKey());
        vals[i++] = UTF8String.fromString((String) e.getValue());
      }
      return new ArrayBasedMapData(new GenericArrayData(keys), new GenericArrayData(vals));
    }
    return v;
  }

  private Object[] decode(Fields flat, Object[] out, Integer inputDay) {
    Object[] slot = flat.known;
    for (int a = 0; a < ALIAS_SLOTS.length; a++) {
      Object aliased = slot[ALIAS_SLOTS[a]];
      if (aliased != null && isAbsent(slot[ALIAS_TARGETS[a]])) {
        slot[ALIAS_TARGETS[a]] = aliased;
      }
    }
    Object sessionId = slot[SESSION_ID_SLOT];
    if (isAbsent(sessionId) || (sessionId instanceof String s && s.isBlank())) {
      return reject(out, RejectReason.MISSING_SESSION_ID, "dt.rum.session.id is missing or empty");
    }
    Object startValue = slot[START_SLOT];
    Long start = isAbsent(startValue) ? null : EventTimes.nanos(startValue);
    if (start == null) {
      return reject(
          out,
          RejectReason.INVALID_START_TIME,
          isAbsent(startValue) ? "start_time is missing" : notATime(EventTimes.START_TIME, startValue));
    }
    Object endValue = slot[START_SLOT + 1];
    Long end = isAbsent(endValue) ? null : EventTimes.nanos(endValue);
    if (!isAbsent(endValue) && end == null) {
      return reject(out, RejectReason.INVALID_END_TIME, notATime(EventTimes.END_TIME, endValue));
    }
    Object timestampValue = slot[START_SLOT + 2];
    Long timestamp = isAbsent(timestampValue) ? null : EventTimes.nanos(timestampValue);
    if (!isAbsent(timestampValue) && timestamp == null) {
      return reject(out, RejectReason.INVALID_END_TIME, notATime(EventTimes.TIMESTAMP, timestampValue));
    }
    Object durationValue = slot[START_SLOT + 3];
    Long duration = isAbsent(durationValue) ? null : EventTimes.wholeNanos(durationValue);
    if (!isAbsent(durationValue) && (duration == null || duration < 0)) {
      return reject(out, RejectReason.INVALID_DURATION, "duration must be a whole, non-negative number of nanoseconds");
    }
    if (end == null) {
      try {
        end = duration == null ? start : Math.addExact(start, duration);
      } catch (ArithmeticException e) {
        return reject(out, RejectReason.INVALID_DURATION, "start_time + duration overflows");
      }
    }
    if (end < start) {
      return reject(out, RejectReason.END_BEFORE_START, "end_time is before start_time");
    }
    long span;
    try {
      span = Math.subtractExact(end, start);
    } catch (ArithmeticException e) {
      // Only an end more than 292 years after its start; a wrapped, negative duration would be worse.
      return reject(out, RejectReason.INVALID_END_TIME, "end_time is too far after start_time: the duration overflows");
    }
    if (inputDay != null) {
      long startDay = Math.floorDiv(start, DAY_NS);
      long days = Math.abs(startDay - inputDay);
      if (days > maxDaysFromPartition) {
        return reject(
            out,
            RejectReason.START_TIME_FAR_FROM_PARTITION,
            // The distance only: the date itself is a value of the record, which detail never repeats.
            "start_time is " + days + " days " + (startDay < inputDay ? "before" : "after")
                + " its input partition's date; at most " + maxDaysFromPartition + " allowed");
      }
    }
    out[ParsedEvents.START_NS_INDEX] = start;
    out[ParsedEvents.START_NS_INDEX + 1] = end;
    out[ParsedEvents.START_NS_INDEX + 2] = timestamp;
    out[ParsedEvents.START_NS_INDEX + 3] = span;

    Map<String, String> sessionProperties = new TreeMap<>();
    Map<String, String> attributes = new TreeMap<>();
    int i = ParsedEvents.FIRST_FIELD;
    int f = FIRST_FIELD_SLOT;
    for (EventField field : EventFields.ALL) {
      Object v = slot[f++];
      Object typed;
      try {
        typed = isAbsent(v) ? null : typed(field, v);
      } catch (IllegalArgumentException e) {
        return reject(out, RejectReason.INVALID_FIELD_VALUE, field.name() + " " + e.getMessage());
      }
      out[i++] = typed;
    }
    for (Map.Entry<String, Object> e : flat.others.entrySet()) {
      if (isAbsent(e.getValue())) {
        continue;
      }
      String text = text(e.getValue());
      if (e.getKey().startsWith(EventFields.SESSION_PROPERTIES_PREFIX)) {
        sessionProperties.put(e.getKey().substring(EventFields.SESSION_PROPERTIES_PREFIX.length()), text);
      } else {
        attributes.put(e.getKey(), text);
      }
    }
    out[ParsedEvents.SESSION_PROPERTIES_INDEX] = sessionProperties;
    out[ParsedEvents.ATTRIBUTES_INDEX] = attributes;
    String id = (String) out[ParsedEvents.FIRST_FIELD];
    out[ParsedEvents.DEDUP_KEY_INDEX] = id != null ? "id:" + id : "fp:" + fingerprint(out, sessionProperties, attributes);
    return out;
  }

  private static String notATime(String key, Object value) {
    return value == JSON_OBJECT || value instanceof JsonText
        ? key + " is " + (value == JSON_OBJECT ? "an object" : "an array") + ", not a time"
        : key + " is neither ISO-8601 with a zone nor epoch nanoseconds";
  }

  private static Object typed(EventField field, Object v) {
    switch (field.kind()) {
      case STRING:
        if (v instanceof String || v instanceof Long || v instanceof Boolean || v instanceof BigDecimal) {
          return text(v);
        }
        throw new IllegalArgumentException("must be text");
      case LONG:
        if (v instanceof Long l) {
          return l;
        }
        if (v instanceof BigDecimal d) {
          try {
            return d.longValueExact();
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException("must be a whole number");
          }
        }
        if (v instanceof String s) {
          String t = s.trim();
          // A long has at most 20 characters; longer text is decided before it is parsed.
          if (t.length() <= 20) {
            try {
              return Long.parseLong(t);
            } catch (NumberFormatException e) {
              // below
            }
          }
        }
        throw new IllegalArgumentException("must be a whole number");
      default:
        if (v instanceof Boolean b) {
          return b;
        }
        if (v instanceof String s) {
          String t = s.trim().toLowerCase(Locale.ROOT);
          if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
          }
        }
        throw new IllegalArgumentException("must be true or false");
    }
  }

  /**
   * A record's scalar values by dotted key: the keys the contract names in fixed slots, every other
   * key (session properties and attributes) in a map.
   */
  private static final class Fields {
    final Object[] known = new Object[SLOT_NAMES.size()];
    final Map<String, Object> others = new HashMap<>();

    void put(Key key, Object value) {
      if (key.slot != null) {
        known[key.slot] = value;
      } else {
        others.put(key.dotted, value);
      }
    }
  }

  /**
   * A dotted key as the decoder meets it: a name under the key of the object around it. The keys of
   * records repeat, and Jackson hands out one String instance per name, so each thread keeps the keys
   * it met in a tree looked up by name: a lookup hashes nothing, where building "dt.rum.session." +
   * "id" and hashing it for the slot table took a tenth of the decoding (measured on the benchmark's
   * records). The tree is bounded; keys past the bound are built as before and not kept, so that a
   * producer of ever new keys costs memory only up to the bound.
   */
  private static final class Key {
    static final int MAX_KEPT = 4_096;
    private static final ThreadLocal<Key> ROOT = ThreadLocal.withInitial(() -> new Key(null, "", null, new int[1]));

    final String dotted;
    /** The slot of this key, or null for a key that goes to the attributes or session properties. */
    final Integer slot;
    /** The key of the object around it; null for the record itself. */
    private final Key parent;
    /** How many keys the tree keeps, shared by all of its keys. */
    private final int[] kept;
    private String prefix;
    private HashMap<String, Key> children;

    private Key(Key parent, String dotted, Integer slot, int[] kept) {
      this.parent = parent;
      this.dotted = dotted;
      this.slot = slot;
      this.kept = kept;
    }

    static Key root() {
      return ROOT.get();
    }

    /** The key of {@code name} in the object of this key (of the root: in the record itself). */
    Key child(String name) {
      Key k = children == null ? null : children.get(name);
      if (k != null) {
        return k;
      }
      String d = parent == null ? name : prefix() + name;
      k = new Key(this, d, SLOTS.get(d), kept);
      if (kept[0] < MAX_KEPT) {
        kept[0]++;
        if (children == null) {
          children = new HashMap<>();
        }
        children.put(name, k);
      }
      return k;
    }

    private String prefix() {
      if (prefix == null) {
        prefix = dotted + ".";
      }
      return prefix;
    }
  }

  /**
   * Flattens the object into dotted keys; a later duplicate key wins, as in most JSON readers.
   * Returns null when the record is no JSON object.
   */
  private static Fields flatten(JsonParser p) throws IOException {
    try (p) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Fields fields = new Fields();
      readObject(p, Key.root(), fields);
      if (p.nextToken() != null) {
        throw new JsonProcessingException("content after the end of the object") {};
      }
      return fields;
    }
  }

  private static void readObject(JsonParser p, Key at, Fields flat) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (name.length() > MAX_NAME_LENGTH) {
        throw new KeyTooLongException();
      }
      Key key = at.child(name);
      JsonToken t = p.nextToken();
      switch (t) {
        case START_OBJECT -> {
          // A key that takes a value names no object: its content would otherwise land in
          // attributes under longer keys, or leave a required field looking absent.
          if (key.slot != null) {
            p.skipChildren();
            flat.put(key, JSON_OBJECT);
          } else {
            readObject(p, key, flat);
          }
        }
        case START_ARRAY -> flat.put(key, new JsonText(p.readValueAsTree().toString()));
        case VALUE_STRING -> flat.put(key, p.getText());
        case VALUE_NUMBER_INT -> flat.put(key, p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getDecimalValue() : p.getLongValue());
        case VALUE_NUMBER_FLOAT -> flat.put(key, p.getDecimalValue());
        case VALUE_TRUE -> flat.put(key, Boolean.TRUE);
        case VALUE_FALSE -> flat.put(key, Boolean.FALSE);
        case VALUE_NULL -> flat.put(key, JSON_NULL);
        default -> throw new JsonProcessingException("unexpected token " + t) {};
      }
    }
  }

  /** An array kept as its JSON text: it is only ever stored, never interpreted. */
  private record JsonText(String json) {}

  /** A key over {@link #MAX_NAME_LENGTH}, which Jackson 2.15 does not check itself. */
  private static final class KeyTooLongException extends JsonProcessingException {
    KeyTooLongException() {
      super("key too long");
    }
  }

  private static boolean isAbsent(Object v) {
    return v == null || v == JSON_NULL;
  }

  private static String text(Object v) {
    if (v instanceof BigDecimal d) {
      // 1e999999999 is a short number with a billion digits in plain notation.
      return Math.abs((long) d.scale()) <= MAX_NUMBER_LENGTH ? d.toPlainString() : d.toString();
    }
    if (v instanceof JsonText j) {
      return j.json();
    }
    return String.valueOf(v);
  }

  /**
   * The de-duplication key of a record without an id: a digest of its decoded content, so that two
   * copies spelled differently (flat or nested keys, key order, ISO or nanosecond times) match.
   */
  private static String fingerprint(Object[] out, Map<String, String> props, Map<String, String> attrs) {
    StringBuilder canon = new StringBuilder();
    for (int i = ParsedEvents.START_NS_INDEX; i <= ParsedEvents.START_NS_INDEX + 2; i++) {
      canon.append(out[i]).append('\u0001');
    }
    int i = ParsedEvents.FIRST_FIELD;
    for (EventField field : EventFields.ALL) {
      canon.append(field.name()).append('=').append(out[i++]).append('\u0001');
    }
    props.forEach((k, v) -> canon.append("sp.").append(k).append('=').append(v).append('\u0001'));
    attrs.forEach((k, v) -> canon.append("a.").append(k).append('=').append(v).append('\u0001'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canon.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Object[] reject(Object[] out, RejectReason reason, String detail) {
    out[3] = reason.code();
    out[4] = detail;
    return out;
  }

  @SuppressWarnings("deprecation")
  private static scala.collection.Map<String, String> scalaMap(Map<String, String> m) {
    return scala.collection.JavaConverters.mapAsScalaMap(m);
  }
}
