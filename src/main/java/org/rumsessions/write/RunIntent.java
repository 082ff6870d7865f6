package org.rumsessions.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rumsessions.common.DateRange;

/**
 * What a run is about to change, recorded in the warehouse before its first commit: the tables with
 * the version each had, the dates it replaces, and the process that runs it. A run that dies
 * between its commits leaves this record behind, which is how the next command finds it and what it
 * repairs by.
 *
 * @param command what writes: {@code sessionize} or {@code forget}
 * @param trigger why (for sessionize: {@code range} or {@code changed})
 * @param versionsBefore table name to the table's version before the run's first commit
 */
public record RunIntent(
    String runId,
    String command,
    DateRange range,
    String trigger,
    Instant startedAt,
    String host,
    long pid,
    Instant processStart,
    Map<String, Long> versionsBefore) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A run's record before its tables' versions are known: this process runs it. */
  public record Draft(String runId, String command, DateRange range, String trigger, Instant startedAt) {
    public RunIntent with(Map<String, Long> versionsBefore) {
      return new RunIntent(runId, command, range, trigger, startedAt, Journal.HOST, Journal.PID, Journal.PROCESS_START, versionsBefore);
    }
  }

  public RunIntent {
    versionsBefore = Collections.unmodifiableMap(new LinkedHashMap<>(versionsBefore));
  }

  /** The text of {@code userMetadata} on every commit the run makes: how its commits are told from others'. */
  public String commitTag() {
    return tagOf(runId);
  }

  static String tagOf(String runId) {
    return "rum-sessions run " + runId;
  }

  String toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("run_id", runId);
    n.put("command", command);
    n.put("from", range == null ? null : range.from().toString());
    n.put("to", range == null ? null : range.to().toString());
    n.put("trigger", trigger);
    n.put("started_at", startedAt.toString());
    n.put("host", host);
    n.put("pid", pid);
    n.put("process_start", processStart == null ? null : processStart.toString());
    ObjectNode v = n.putObject("versions_before");
    versionsBefore.forEach(v::put);
    return n.toString();
  }

  static RunIntent fromJson(String text) {
    try {
      JsonNode n = JSON.readTree(text);
      Map<String, Long> versions = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.path("versions_before").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        versions.put(e.getKey(), e.getValue().asLong());
      }
      DateRange range =
          n.path("from").isTextual()
              ? new DateRange(LocalDate.parse(n.get("from").asText()), LocalDate.parse(n.get("to").asText()))
              : null;
      return new RunIntent(
          n.get("run_id").asText(),
          n.path("command").asText(null),
          range,
          n.path("trigger").asText(null),
          Instant.parse(n.get("started_at").asText()),
          n.path("host").asText(""),
          n.path("pid").asLong(-1),
          n.path("process_start").isTextual() ? Instant.parse(n.get("process_start").asText()) : null,
          versions);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable run record", e);
    }
  }
}
