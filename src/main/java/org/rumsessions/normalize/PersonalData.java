package org.rumsessions.normalize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.unsafe.types.UTF8String;
import org.rumsessions.config.ClientIpMode;
import org.rumsessions.config.PipelineConfig;
import org.rumsessions.config.TagKey;
import org.rumsessions.config.UserTagMode;

/**
 * What the decoder does with the personal data of an event (data model, section 6), before any
 * table sees it: {@code client.ip} masked, kept or dropped; the user tag ({@code dt.rum.user_tag},
 * or {@code user.identifier}) kept, replaced by a keyed HMAC-SHA-256 or dropped; the same in the
 * raw text that {@code rejected_events} keeps. And whether a record belongs to someone
 * {@code forget} erased ({@link Tombstones}).
 *
 * <p>Raw text that parses as JSON gets only those values rewritten, the rest kept byte for byte.
 * Text that does not parse cannot be read by field: every substring that reads as an IP address is
 * masked (or removed), and the value after every key that names a user tag is treated as a tag.
 *
 * <p>Shipped to the executors with the decoder, key included; nothing here logs or throws a value.
 */
public final class PersonalData implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The data model's defaults: IP addresses masked, tags kept, nobody forgotten. */
  public static final PersonalData DEFAULTS = new PersonalData(ClientIpMode.MASK, UserTagMode.KEEP, null, Tombstones.NONE);

  /** Everything as received: for work whose results are never stored (which dates input touches). */
  public static final PersonalData AS_RECEIVED = new PersonalData(ClientIpMode.KEEP, UserTagMode.KEEP, null, Tombstones.NONE);

  static final String CLIENT_IP = "client.ip";
  private static final int SESSION_ID_INDEX = fieldIndex(EventFields.SESSION_ID);
  private static final int USER_TAG_INDEX = fieldIndex(EventFields.USER_TAG);
  private static final int CLIENT_IP_INDEX = fieldIndex(CLIENT_IP);

  private static final JsonFactory JSON = new ObjectMapper().getFactory();
  private static final String HMAC = "HmacSHA256";

  /** The value after a key that names a user tag, in text that is no JSON: a string (perhaps cut short) or a bare word. */
  private static final Pattern TAG_IN_TEXT =
      Pattern.compile("\"(?:dt\\.rum\\.user_tag|user_tag|user\\.identifier|identifier)\"\\s*:\\s*(\"(?:[^\"\\\\]|\\\\.)*(?:\"|$)|[^\\s,}\\]\"]+)");

  /** Every complete string literal, in text that is no JSON. */
  private static final Pattern STRING_IN_TEXT = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final ClientIpMode ipMode;
  private final UserTagMode tagMode;
  private final TagKey key;
  private final Tombstones tombstones;
  private transient volatile ThreadLocal<Mac> macs;

  private PersonalData(ClientIpMode ipMode, UserTagMode tagMode, TagKey key, Tombstones tombstones) {
    if (tagMode == UserTagMode.HASH && key == null) {
      throw new IllegalArgumentException("privacy.user-tag hash needs a key");
    }
    this.ipMode = ipMode;
    this.tagMode = tagMode;
    this.key = key;
    this.tombstones = tombstones;
  }

  /** The treatment a configuration asks for, and the tombstones a run applies. */
  public static PersonalData of(PipelineConfig.Privacy privacy, Tombstones tombstones) {
    return new PersonalData(privacy.clientIp(), privacy.userTag(), privacy.userTag() == UserTagMode.HASH ? privacy.key() : null, tombstones);
  }

  public Tombstones tombstones() {
    return tombstones;
  }

  /** Whether nothing is changed and nothing dropped: the decoder can skip every step here. */
  private boolean inert() {
    return ipMode == ClientIpMode.KEEP && tagMode == UserTagMode.KEEP && tombstones.isEmpty();
  }

  /** An event's client IP as the tables get it. */
  public String clientIp(String ip) {
    if (ip == null) {
      return null;
    }
    return switch (ipMode) {
      case KEEP -> ip;
      case DROP -> null;
      case MASK -> IpAddresses.mask(ip);
    };
  }

  /** An event's user tag as the tables get it. */
  public String userTag(String tag) {
    if (tag == null) {
      return null;
    }
    return switch (tagMode) {
      case KEEP -> tag;
      case DROP -> null;
      case HASH -> hmac(mac(), key, tag);
    };
  }

  /** The hashed form of a tag under a key: {@code <key id>:<HMAC-SHA-256 of its UTF-8, 64 hex digits>}. */
  public static String hashedTag(TagKey key, String tag) {
    return hmac(newMac(key), key, tag);
  }

  private static String hmac(Mac mac, TagKey key, String tag) {
    return key.id() + ":" + HexFormat.of().formatHex(mac.doFinal(tag.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac mac() {
    ThreadLocal<Mac> m = macs;
    if (m == null) {
      // A Mac is not thread-safe; one per thread of the executor.
      m = ThreadLocal.withInitial(() -> newMac(key));
      macs = m;
    }
    return m.get();
  }

  private static Mac newMac(TagKey key) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(key.secret(), HMAC));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA-256 is not available", e);
    }
  }

  /** SHA-256 of a value's UTF-8, in hex: how tombstones name what was forgotten. */
  public static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The decoder's hook, on a decoded row before it is stored (values still Java strings, the raw
   * text a String or UTF8String): an accepted event gets its IP and tag treated; a rejected record
   * its raw text. Either is marked when it belongs to a forgotten session id or user tag. The
   * de-duplication fingerprint was taken before, from the values as received, so that which copies
   * are duplicates does not depend on these settings.
   */
  void protect(Object[] out) {
    if (inert()) {
      return;
    }
    if (out[ParsedEvents.REJECT_REASON_INDEX] == null) {
      out[ParsedEvents.FORGOTTEN_INDEX] = tombstones.matches(out[SESSION_ID_INDEX], out[USER_TAG_INDEX]);
      out[CLIENT_IP_INDEX] = clientIp((String) out[CLIENT_IP_INDEX]);
      out[USER_TAG_INDEX] = userTag((String) out[USER_TAG_INDEX]);
      return;
    }
    Object raw = out[ParsedEvents.RAW_INDEX];
    if (raw == null) {
      return;
    }
    String text = raw.toString();
    Scrubbed s = rawRecord(text);
    out[ParsedEvents.FORGOTTEN_INDEX] = s.forgotten();
    if (!s.text().equals(text)) {
      out[ParsedEvents.RAW_INDEX] = raw instanceof UTF8String ? UTF8String.fromString(s.text()) : s.text();
    }
  }

  /** A raw record's text as rejected_events keeps it, and whether it belongs to a forgotten person. */
  public record Scrubbed(String text, boolean forgotten) {}

  public Scrubbed rawRecord(String raw) {
    try {
      Scrubbed s = scrubJson(raw);
      if (s != null) {
        return s;
      }
    } catch (IOException | RuntimeException e) {
      // Not JSON, or not all of it: read below as plain text.
    }
    return scrubText(raw);
  }

  /** A JSON object with its personal values rewritten in place; null when the text is more than one object. */
  private Scrubbed scrubJson(String raw) throws IOException {
    try (JsonParser p = JSON.createParser(raw)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Splices splices = new Splices(raw);
      object(p, "", splices);
      if (p.nextToken() != null) {
        return null;
      }
      return new Scrubbed(splices.apply(), splices.forgotten);
    }
  }

  /** The values of one record's personal fields and where they are, and what replaces them. */
  private final class Splices {
    final String raw;
    final List<int[]> ranges = new ArrayList<>();
    final List<String> replacements = new ArrayList<>();
    boolean forgotten;

    Splices(String raw) {
      this.raw = raw;
    }

    void scalar(JsonParser p, JsonToken t, String key) throws IOException {
      Field field = Field.of(key);
      if (field == null || t == JsonToken.VALUE_NULL) {
        return;
      }
      String value = p.getText();
      if (field == Field.SESSION_ID) {
        forgotten |= tombstones.matches(value, null);
        return;
      }
      if (field == Field.USER_TAG) {
        forgotten |= tombstones.matches(null, value);
      }
      if (field == Field.CLIENT_IP ? ipMode == ClientIpMode.KEEP : tagMode == UserTagMode.KEEP) {
        return;
      }
      String replacement = field == Field.CLIENT_IP ? clientIp(value) : userTag(value);
      if (replacement != null && replacement.equals(value) && t == JsonToken.VALUE_STRING) {
        return;
      }
      int start = (int) p.currentTokenLocation().getCharOffset();
      int end = t == JsonToken.VALUE_STRING ? endOfString(raw, start) : endOfBareValue(raw, start);
      ranges.add(new int[] {start, end});
      replacements.add(replacement == null ? "null" : quoted(replacement));
    }

    String apply() {
      if (ranges.isEmpty()) {
        return raw;
      }
      StringBuilder b = new StringBuilder(raw.length());
      int last = 0;
      for (int i = 0; i < ranges.size(); i++) {
        b.append(raw, last, ranges.get(i)[0]).append(replacements.get(i));
        last = ranges.get(i)[1];
      }
      return b.append(raw, last, raw.length()).toString();
    }
  }

  /** The fields this class reads, by dotted key; a key below one of them (an object there) counts as it. */
  private enum Field {
    SESSION_ID,
    USER_TAG,
    CLIENT_IP;

    static Field of(String key) {
      if (is(key, EventFields.SESSION_ID)) {
        return SESSION_ID;
      }
      if (is(key, EventFields.USER_TAG) || is(key, "user.identifier")) {
        return USER_TAG;
      }
      return is(key, PersonalData.CLIENT_IP) ? CLIENT_IP : null;
    }

    private static boolean is(String key, String field) {
      return key.startsWith(field) && (key.length() == field.length() || key.charAt(field.length()) == '.');
    }
  }

  private void object(JsonParser p, String prefix, Splices s) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = prefix + p.currentName();
      value(p, p.nextToken(), key, s);
    }
  }

  private void value(JsonParser p, JsonToken t, String key, Splices s) throws IOException {
    if (t == JsonToken.START_OBJECT) {
      object(p, key + ".", s);
    } else if (t == JsonToken.START_ARRAY) {
      for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
        value(p, e, key, s);
      }
    } else {
      s.scalar(p, t, key);
    }
  }

  /** Where a JSON string starting at its opening quote ends: after its closing quote. */
  private static int endOfString(String raw, int start) {
    for (int i = start + 1; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '"') {
        return i + 1;
      }
    }
    return raw.length();
  }

  private static int endOfBareValue(String raw, int start) {
    int i = start;
    while (i < raw.length() && ",}] \t\r\n".indexOf(raw.charAt(i)) < 0) {
      i++;
    }
    return i;
  }

  private static String quoted(String value) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
  }

  /** Text that is no JSON: addresses and tag values found by their look, tombstones by any string in it. */
  private Scrubbed scrubText(String raw) {
    boolean forgotten = !tombstones.isEmpty() && anyValue(raw, tombstones::mentions);
    String text = raw;
    if (tagMode != UserTagMode.KEEP) {
      text = replaceTags(text);
    }
    if (ipMode != ClientIpMode.KEEP) {
      text = IpAddresses.maskWithin(text, ipMode == ClientIpMode.DROP);
    }
    return new Scrubbed(text, forgotten);
  }

  private String replaceTags(String text) {
    Matcher m = TAG_IN_TEXT.matcher(text);
    StringBuilder b = new StringBuilder(text.length());
    int last = 0;
    while (m.find()) {
      String v = m.group(1);
      String replacement;
      if (tagMode == UserTagMode.DROP) {
        replacement = "null";
      } else if (v.startsWith("\"") && v.length() > 1 && v.endsWith("\"")) {
        replacement = quoted(userTag(unescaped(v.substring(1, v.length() - 1))));
      } else if (v.startsWith("\"")) {
        // A string cut short: its end is unknown, so is the tag; nothing of it stays.
        replacement = "null";
      } else {
        replacement = quoted(userTag(v));
      }
      b.append(text, last, m.start(1)).append(replacement);
      last = m.end(1);
    }
    return last == 0 ? text : b.append(text, last, text.length()).toString();
  }

  /**
   * Whether any value in a raw record's text, whatever its key, has one of these SHA-256 hashes:
   * how forget finds the rejected records of a person, whose fields may be anywhere or unreadable.
   * Every scalar of text that is JSON; every complete string literal of text that is not.
   */
  public static boolean mentions(String raw, Set<String> sha256s) {
    return raw != null && !sha256s.isEmpty() && anyValue(raw, v -> sha256s.contains(sha256(v)));
  }

  private static boolean anyValue(String raw, Predicate<String> test) {
    try (JsonParser p = JSON.createParser(raw)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t.isScalarValue() && t != JsonToken.VALUE_NULL && test.test(p.getText())) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      // Not JSON all through: the string literals of the whole text.
    }
    Matcher m = STRING_IN_TEXT.matcher(raw);
    while (m.find()) {
      if (test.test(unescaped(m.group(1)))) {
        return true;
      }
    }
    return false;
  }

  /** A JSON string literal's content with its escapes resolved, as the decoder would read it; as written when they are broken. */
  private static String unescaped(String content) {
    if (content.indexOf('\\') < 0) {
      return content;
    }
    try (JsonParser p = JSON.createParser("\"" + content + "\"")) {
      p.nextToken();
      return p.getText();
    } catch (IOException | RuntimeException e) {
      return content;
    }
  }

  private static int fieldIndex(String name) {
    for (int i = 0; i < EventFields.ALL.size(); i++) {
      if (EventFields.ALL.get(i).name().equals(name)) {
        return ParsedEvents.FIRST_FIELD + i;
      }
    }
    throw new IllegalStateException("no field " + name);
  }
}
