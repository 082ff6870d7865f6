package org.rumsessions.common;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** An inclusive range of UTC dates, the unit a run computes and replaces. */
public record DateRange(LocalDate from, LocalDate to) {
  /** The date column that partitions the input and every dated table. */
  public static final String DATE = "date";

  public DateRange {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
  }

  public static DateRange of(LocalDate day) {
    return new DateRange(day, day);
  }

  public DateRange widen(int daysBefore, int daysAfter) {
    return new DateRange(from.minusDays(daysBefore), to.plusDays(daysAfter));
  }

  public boolean contains(LocalDate d) {
    return !d.isBefore(from) && !d.isAfter(to);
  }

  public List<LocalDate> days() {
    List<LocalDate> days = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      days.add(d);
    }
    return days;
  }

  /** The SQL predicate on a date column that selects exactly this range. */
  public String predicate(String column) {
    return String.format("%s >= DATE'%s' AND %s <= DATE'%s'", column, from, column, to);
  }

  @Override
  public String toString() {
    return from.equals(to) ? from.toString() : from + ".." + to;
  }
}
