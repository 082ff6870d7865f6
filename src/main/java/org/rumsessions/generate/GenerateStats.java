package org.rumsessions.generate;

import java.io.Serializable;
import java.util.Locale;

/** What a slice (and, summed, a run) wrote. Lines = events + duplicates + corrupt lines. */
public final class GenerateStats implements Serializable {
  long sessions;
  long events;
  long duplicates;
  long corrupt;
  long late;
  long files;

  long lines() {
    return events + duplicates + corrupt;
  }

  GenerateStats plus(GenerateStats o) {
    GenerateStats s = new GenerateStats();
    s.sessions = sessions + o.sessions;
    s.events = events + o.events;
    s.duplicates = duplicates + o.duplicates;
    s.corrupt = corrupt + o.corrupt;
    s.late = late + o.late;
    s.files = files + o.files;
    return s;
  }

  public String report(GeneratorSpec spec, String out, double seconds) {
    return String.format(
        "generated %,d events in %,d sessions for %s..%s into %s (%s)%n"
            + "lines: %,d (duplicates %,d, corrupt %,d, in the next day's folder %,d); files: %,d; %.1f s%n",
        events, sessions, spec.from(), spec.to(), out, spec.format().name().toLowerCase(Locale.ROOT),
        lines(), duplicates, corrupt, late, files, seconds);
  }
}
