package org.rumsessions.config;

import java.util.regex.Pattern;

/**
 * Which settings hold secrets, for every place that shows the configuration: the run record's
 * {@code config} column, and Spark's own redaction (its logged configuration, {@code SET}, the UI).
 */
public final class Redaction {
  /**
   * Spark's default ({@code secret|password|token|access[.]key}) misses ABFS account keys
   * ({@code fs.azure.account.key.*}), S3 encryption keys, GCS private keys, Azure SAS and OAuth
   * settings; every name with "key" or "credential" is hidden too, and any value with a login in a
   * URI ({@code scheme://user:secret@}). Spark applies it to names and values alike, and so does
   * {@link #hides}.
   */
  public static final String REGEX =
      "(?i)secret|password|passwd|token|credential|key|sas|signature|oauth|://[^/@\\s]*:[^/@\\s]*@";

  public static final String HIDDEN = "(redacted)";

  private static final Pattern PATTERN = Pattern.compile(REGEX);

  private Redaction() {}

  public static boolean hides(String name, String value) {
    return PATTERN.matcher(name).find() || (value != null && PATTERN.matcher(value).find());
  }
}
