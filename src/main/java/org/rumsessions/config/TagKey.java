package org.rumsessions.config;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A secret key for hashing user tags, as read from the environment. It is held in memory only: its
 * {@link #toString()} and every message name its {@link #id()}, never its bytes, so that no log,
 * exception or run record can carry it. Serializable because the decoder that hashes with it runs on
 * the executors.
 */
public final class TagKey implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] secret;
  private final String id;

  private TagKey(byte[] secret) {
    this.secret = secret.clone();
    this.id = idOf(secret);
  }

  /** The key from an environment variable's text, taken as its UTF-8 bytes. */
  public static TagKey of(String text) {
    return new TagKey(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key's id: the first 8 hex digits of the SHA-256 of its bytes. It tells which key hashed a
   * value, so that keys can be rotated; it is no help in finding the key.
   */
  public String id() {
    return id;
  }

  /** A copy of the key's bytes, for the one class that computes the HMAC. */
  public byte[] secret() {
    return secret.clone();
  }

  private static String idOf(byte[] secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TagKey k && MessageDigest.isEqual(secret, k.secret);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(id.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "key " + id;
  }
}
