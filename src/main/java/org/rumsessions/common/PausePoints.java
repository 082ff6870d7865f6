package org.rumsessions.common;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Named points of a run where the reliability tests stop it for real: with
 * {@code RUM_SESSIONS_PAUSE_AT=after-commit:user_events} (a comma-separated list) the run says so on
 * standard error and waits there, so that a test can kill it with SIGKILL or SIGTERM at exactly that
 * moment. Unset, as in every real run, a point costs one lookup.
 */
public final class PausePoints {
  private static final Set<String> POINTS =
      Arrays.stream(System.getenv().getOrDefault("RUM_SESSIONS_PAUSE_AT", "").split(","))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .collect(Collectors.toUnmodifiableSet());

  private PausePoints() {}

  public static void at(String point) {
    if (!POINTS.contains(point)) {
      return;
    }
    System.err.println("rum-sessions: paused at " + point);
    System.err.flush();
    // Until killed, or until SIGTERM asks the command to stop (then it goes on to roll back).
    for (int i = 0; i < 6000 && !Termination.requested(); i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
