package org.rumsessions.config;

/** What a command needs the configuration to name; what it does not need may be left out. */
public enum Needs {
  /** Raw input and warehouse: sessionize. */
  INPUT_AND_WAREHOUSE,
  /** The warehouse only: sql, maintain. */
  WAREHOUSE,
  /** Only Spark settings: generate. */
  SPARK
}
