package org.rumsessions.generate;

import java.io.Serializable;

/**
 * A semantic-dictionary name the generator writes, split once into its dotted segments so that
 * writing it nested costs no string work per event.
 */
final class Key implements Serializable {
  /** The JSON value type the contract gives the field; Parquet columns follow it. */
  enum Kind {
    STRING,
    LONG,
    BOOLEAN
  }

  private static final String SESSION_PROPERTIES = "session_properties.";

  final String name;
  final Kind kind;
  final String[] segments;
  /** The name split after its first segment only: {@code {"dt": {"rum.session.id": ...}}}. */
  final String[] topAndRest;
  /** The name as one segment: the flat spelling. */
  final String[] whole;
  /** Which two bits of {@link EventRecord#mixBits} choose this name's spelling in a mixed record. */
  final int mixSlot;
  /** Index of the Parquet column of a registered key ({@link Keys}); -1 for other keys. */
  final int column;
  /** Session properties share one Parquet map column instead of a column each. */
  final boolean sessionProperty;

  Key(String name, Kind kind, int column) {
    this.name = name;
    this.kind = kind;
    this.column = column;
    this.sessionProperty = name.startsWith(SESSION_PROPERTIES);
    this.segments = name.split("\\.");
    int dot = name.indexOf('.');
    this.topAndRest = dot < 0 ? new String[] {name} : new String[] {name.substring(0, dot), name.substring(dot + 1)};
    this.whole = new String[] {name};
    this.mixSlot = Math.floorMod(segments[0].hashCode(), 32);
  }

  static Key sessionProperty(String property) {
    return new Key(SESSION_PROPERTIES + property, Kind.STRING, -1);
  }

  String propertyName() {
    return name.substring(SESSION_PROPERTIES.length());
  }

  @Override
  public String toString() {
    return name;
  }
}
