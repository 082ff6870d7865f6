package org.rumsessions.config;

/** What a command needs the configuration to name; what it does not need may be left out. */
public enum Needs {
  /** Raw input and warehouse: sessionize. */
  INPUT_AND_WAREHOUSE,
  /**
   * The warehouse and, under {@code privacy.user-tag: hash}, the keys of user tags: forget
   * --user-tag, which looks for the tag's hashed forms.
   */
  WAREHOUSE_AND_TAG_KEYS,
  /** The warehouse only: sql, maintain. */
  WAREHOUSE,
  /** Only Spark settings: generate. */
  SPARK
}
