package org.rumsessions.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes hand-made raw events into the input layout of the data model: date=YYYY-MM-DD folders. */
public final class RawEvents {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path root;

  public RawEvents(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** An event with the flat dotted keys of an export. */
  public static Map<String, Object> event(String sessionId, String id, String start, Object... keyValues) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("dt.rum.session.id", sessionId);
    if (id != null) {
      e.put("id", id);
    }
    e.put("start_time", start);
    for (int i = 0; i < keyValues.length; i += 2) {
      e.put((String) keyValues[i], keyValues[i + 1]);
    }
    return e;
  }

  public static String json(Map<String, Object> event) {
    try {
      return JSON.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static long nanos(String iso) {
    Instant i = Instant.parse(iso);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** Writes events (maps) and literal lines (strings) as one JSON Lines file of a date folder. */
  public Path write(String date, String file, List<?> records) {
    StringBuilder b = new StringBuilder();
    for (Object r : records) {
      b.append(r instanceof String s ? s : json(cast(r))).append('\n');
    }
    Path dir = root.resolve("date=" + date);
    try {
      Files.createDirectories(dir);
      Path p = dir.resolve(file);
      byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
      if (file.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
          out.write(bytes);
        }
      } else {
        Files.write(p, bytes);
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An empty partition folder: the date is present, with no events. */
  public void emptyPartition(String date) {
    try {
      Files.createDirectories(root.resolve("date=" + date));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }
}
