package org.rumsessions.normalize;

import java.io.Serializable;
import java.util.Set;

/**
 * The people {@code forget} erased, as the SHA-256 (hex) of their session ids and user tags as
 * received, never the values themselves. Every sessionize run drops what they match before it
 * writes, so that a rerun from the raw input does not bring them back.
 */
public record Tombstones(Set<String> sessionIds, Set<String> userTags) implements Serializable {
  public static final Tombstones NONE = new Tombstones(Set.of(), Set.of());

  public Tombstones {
    sessionIds = Set.copyOf(sessionIds);
    userTags = Set.copyOf(userTags);
  }

  public boolean isEmpty() {
    return sessionIds.isEmpty() && userTags.isEmpty();
  }

  public int size() {
    return sessionIds.size() + userTags.size();
  }

  /** Whether a session id or user tag, as received (either may be null), was forgotten. */
  boolean matches(Object sessionId, Object userTag) {
    return (sessionId != null && !sessionIds.isEmpty() && sessionIds.contains(PersonalData.sha256(String.valueOf(sessionId))))
        || (userTag != null && !userTags.isEmpty() && userTags.contains(PersonalData.sha256(String.valueOf(userTag))));
  }

  /** Whether a value, of whatever field, is a forgotten session id or user tag. */
  boolean mentions(String value) {
    String h = PersonalData.sha256(value);
    return sessionIds.contains(h) || userTags.contains(h);
  }
}
