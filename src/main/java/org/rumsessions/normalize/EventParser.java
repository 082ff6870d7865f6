package org.rumsessions.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Decodes one raw record (a JSON object, flat dotted keys or nested objects or both) into a row of
 * {@link ParsedEvents#SCHEMA}, or classifies it with a {@link RejectReason}. One pass of Jackson's
 * streaming parser per record: no intermediate tree, and no Spark JSON schema inference.
 */
public final class EventParser implements Serializable {
  private static final JsonFactory JSON = new ObjectMapper().getFactory();
  private static final Object JSON_NULL = new Object();

  private final int maxDaysFromPartition;

  /**
   * @param maxDaysFromPartition how many days an event's start may lie from its input partition's
   *     date before it is rejected (the days a run reads around its range)
   */
  public EventParser(int maxDaysFromPartition) {
    this.maxDaysFromPartition = maxDaysFromPartition;
  }

  /** Returns null for a blank line, which is no record. */
  public Row parse(String raw, String sourceFile, String inputDate) {
    if (raw == null || raw.isBlank()) {
      return null;
    }
    Object[] out = new Object[ParsedEvents.SCHEMA.size()];
    out[0] = inputDate;
    out[1] = sourceFile;
    out[2] = raw;
    Map<String, Object> flat;
    try {
      flat = flatten(raw);
    } catch (IOException | RuntimeException e) {
      return reject(out, RejectReason.MALFORMED_RECORD, "not a JSON object: " + shortMessage(e));
    }
    if (flat == null) {
      return reject(out, RejectReason.MALFORMED_RECORD, "a record must be a JSON object");
    }
    return decode(flat, out, inputDate);
  }

  private Row decode(Map<String, Object> flat, Object[] out, String inputDate) {
    for (Map.Entry<String, String> alias : EventFields.ALIASES.entrySet()) {
      Object aliased = flat.remove(alias.getKey());
      if (aliased != null && isAbsent(flat.get(alias.getValue()))) {
        flat.put(alias.getValue(), aliased);
      }
    }
    Object sessionId = flat.get(EventFields.SESSION_ID);
    if (isAbsent(sessionId) || (sessionId instanceof String s && s.isBlank())) {
      return reject(out, RejectReason.MISSING_SESSION_ID, "dt.rum.session.id is missing or empty");
    }
    Object startValue = flat.remove(EventTimes.START_TIME);
    Long start = isAbsent(startValue) ? null : EventTimes.nanos(startValue);
    if (start == null) {
      return reject(
          out,
          RejectReason.INVALID_START_TIME,
          isAbsent(startValue)
              ? "start_time is missing"
              : "start_time is neither ISO-8601 with a zone nor epoch nanoseconds");
    }
    Object endValue = flat.remove(EventTimes.END_TIME);
    Long end = isAbsent(endValue) ? null : EventTimes.nanos(endValue);
    if (!isAbsent(endValue) && end == null) {
      return reject(out, RejectReason.INVALID_END_TIME, "end_time is neither ISO-8601 with a zone nor epoch nanoseconds");
    }
    Object timestampValue = flat.remove(EventTimes.TIMESTAMP);
    Long timestamp = isAbsent(timestampValue) ? null : EventTimes.nanos(timestampValue);
    if (!isAbsent(timestampValue) && timestamp == null) {
      return reject(out, RejectReason.INVALID_END_TIME, "timestamp is neither ISO-8601 with a zone nor epoch nanoseconds");
    }
    Object durationValue = flat.remove(EventTimes.DURATION);
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
    if (inputDate != null) {
      LocalDate startDate = EventTimes.instant(start).atOffset(ZoneOffset.UTC).toLocalDate();
      long days = Math.abs(startDate.toEpochDay() - LocalDate.parse(inputDate).toEpochDay());
      if (days > maxDaysFromPartition) {
        return reject(
            out,
            RejectReason.START_TIME_FAR_FROM_PARTITION,
            "start_time is on " + startDate + ", " + days + " days from its input partition; at most "
                + maxDaysFromPartition + " allowed");
      }
    }
    out[5] = start;
    out[6] = end;
    out[7] = timestamp;
    out[8] = end - start;

    Map<String, String> sessionProperties = new TreeMap<>();
    Map<String, String> attributes = new TreeMap<>();
    int i = ParsedEvents.FIRST_FIELD;
    for (EventField field : EventFields.ALL) {
      Object v = flat.remove(field.name());
      Object typed;
      try {
        typed = isAbsent(v) ? null : typed(field, v);
      } catch (IllegalArgumentException e) {
        return reject(out, RejectReason.INVALID_FIELD_VALUE, field.name() + " " + e.getMessage());
      }
      out[i++] = typed;
    }
    for (Map.Entry<String, Object> e : flat.entrySet()) {
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
    out[10] = scalaMap(sessionProperties);
    out[11] = scalaMap(attributes);
    String id = (String) out[ParsedEvents.FIRST_FIELD];
    out[9] = id != null ? "id:" + id : "fp:" + fingerprint(out, sessionProperties, attributes);
    return RowFactory.create(out);
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
          try {
            return Long.parseLong(s.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number");
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

  /** Flattens the object into dotted keys; a later duplicate key wins, as in most JSON readers. */
  private static Map<String, Object> flatten(String raw) throws IOException {
    try (JsonParser p = JSON.createParser(raw)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Map<String, Object> flat = new LinkedHashMap<>();
      readObject(p, "", flat);
      if (p.nextToken() != null) {
        throw new JsonProcessingException("content after the end of the object") {};
      }
      return flat;
    }
  }

  private static void readObject(JsonParser p, String prefix, Map<String, Object> flat) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix + p.currentName();
      JsonToken t = p.nextToken();
      switch (t) {
        case START_OBJECT -> readObject(p, key + ".", flat);
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

  private static boolean isAbsent(Object v) {
    return v == null || v == JSON_NULL;
  }

  private static String text(Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
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
    for (int i = 5; i <= 7; i++) {
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

  private static Row reject(Object[] out, RejectReason reason, String detail) {
    out[3] = reason.code();
    out[4] = detail;
    return RowFactory.create(out);
  }

  private static String shortMessage(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @SuppressWarnings("deprecation")
  private static scala.collection.Map<String, String> scalaMap(Map<String, String> m) {
    return scala.collection.JavaConverters.mapAsScalaMap(m);
  }
}
