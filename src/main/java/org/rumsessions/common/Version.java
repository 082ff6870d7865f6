package org.rumsessions.common;

/** The software version, from the jar's manifest or the build's resources. */
public final class Version {
  private Version() {}

  public static String get() {
    String v = Version.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try (var in = Version.class.getResourceAsStream("/rum-sessions.version")) {
      return in == null ? "dev" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
    } catch (java.io.IOException e) {
      return "dev";
    }
  }
}
