"""Spark SQL over the rum-sessions warehouse, for the notebooks.

    import rumspark
    spark = rumspark.session()
    spark.tables()                                  # ['user_sessions', 'user_events', ...]
    df = spark.sql("SELECT ... FROM user_sessions").toPandas()

Two ways to get there, with the same small API:

* pyspark is importable (a user's cluster, or a local pip install): a real PySpark session with
  Delta, the tables as temporary views. `session().spark` is the PySpark session itself.
* otherwise (this project's machines: Debian packages only, no pyspark): the project's own Spark,
  started in this Python process through JPype from the Maven classpath (`./mvnw -q -B compile`
  writes target/classpath.txt). Results cross to Python as JSON Lines written by the project's
  ResultPrinter, so nested columns come back as dicts and lists.

The warehouse folder comes from RUM_WAREHOUSE (default: ../data/warehouse beside this folder).
"""

import atexit
import json
import os

import pandas as pd

TABLES = ("user_sessions", "user_events", "rejected_events", "pipeline_runs", "input_files", "forgotten")

# The checkout: this file lives in <checkout>/notebooks/.
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# What every session needs (as org.rumsessions.common.SparkSessions.defaults): Delta and UTC, so that
# dates and hours in the notebooks are the UTC ones the tables are partitioned by.
DELTA_CONF = {
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.sql.session.timeZone": "UTC",
}

# For the embedded local Spark only: notebook queries are small, and the default 200 shuffle
# partitions would make each one slow on two cores.
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "4",
    # The tables' wide nested schemas would otherwise warn on every plan printed.
    "spark.sql.debug.maxToStringFields": "200",
}

_session = None


def warehouse_path():
    """RUM_WAREHOUSE, else <checkout>/data/warehouse (where jobs/demo writes)."""
    path = os.environ.get("RUM_WAREHOUSE") or os.path.join(ROOT, "data", "warehouse")
    # Keep URIs (s3://, abfss://, dbfs:/) as they are; make local paths absolute.
    return path if "://" in path or path.startswith("dbfs:") else os.path.abspath(path)


def session(warehouse=None, **conf):
    """The one session of this process (created on first call); extra Spark conf as keywords."""
    global _session
    if _session is None:
        warehouse = warehouse or warehouse_path()
        try:
            import pyspark  # noqa: F401
        except ImportError:
            _session = _JvmSession(warehouse, conf)
        else:
            _session = _PySparkSession(warehouse, conf)
    return _session


class _PySparkSession:
    """A real PySpark session: sql() returns PySpark DataFrames."""

    def __init__(self, warehouse, conf):
        from pyspark.sql import SparkSession

        b = SparkSession.builder.appName("rum-sessions-notebooks")
        for k, v in {**DELTA_CONF, **conf}.items():
            b = b.config(k, v)
        # A local pip install of delta-spark needs its jars added; a cluster's running session
        # has Delta already (and may have no delta-spark pip metadata to look up).
        if SparkSession.getActiveSession() is None:
            try:
                from delta import configure_spark_with_delta_pip

                b = configure_spark_with_delta_pip(b)
            except ImportError:
                pass
        self.spark = b.getOrCreate()
        self.warehouse = warehouse
        self._tables = []
        for name in TABLES:
            try:
                df = self.spark.read.format("delta").load(warehouse.rstrip("/") + "/" + name)
            except Exception:  # not written yet: leave it out, as Warehouse.register does
                continue
            df.createOrReplaceTempView(name)
            self._tables.append(name)

    def sql(self, query):
        return self.spark.sql(query)

    def tables(self):
        return list(self._tables)


class _JvmSession:
    """The project's Spark in this process through JPype: sql() returns a _JvmFrame."""

    def __init__(self, warehouse, conf):
        try:
            import jpype
        except ImportError as e:
            raise ImportError("neither pyspark nor JPype: install pyspark, or run jobs/install-notebook-deps") from e

        if not jpype.isJVMStarted():
            # Spark reads it from the environment; the JVM shares this process's, so set it now.
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            jpype.startJVM(*_jvm_options(), classpath=_classpath(), convertStrings=False)
        SparkSession = jpype.JClass("org.apache.spark.sql.SparkSession")
        SparkSessions = jpype.JClass("org.rumsessions.common.SparkSessions")
        Warehouse = jpype.JClass("org.rumsessions.sql.Warehouse")

        b = SparkSession.builder().appName("rum-sessions-notebooks").master("local[2]")
        for e in SparkSessions.defaults().entrySet():
            b = b.config(e.getKey(), e.getValue())
        for k, v in {**LOCAL_CONF, **conf}.items():
            b = b.config(k, str(v))
        self.spark = b.getOrCreate()
        self.warehouse = warehouse
        self._tables = [str(t) for t in Warehouse.register(self.spark, warehouse)]
        atexit.register(self._stop)

    def _stop(self):
        # Before JPype shuts the JVM down: Spark's and Hadoop's own shutdown hooks, run then, get
        # interrupted and print stack traces at every kernel exit.
        self.spark.stop()
        import jpype

        jpype.JClass("org.apache.hadoop.fs.FileSystem").closeAll()

    def sql(self, query):
        return _JvmFrame(self.spark.sql(query))

    def tables(self):
        return list(self._tables)


class _JvmFrame:
    """The part of a PySpark DataFrame the notebooks use."""

    def __init__(self, jdf):
        self._jdf = jdf

    def toPandas(self):
        import jpype

        ResultPrinter = jpype.JClass("org.rumsessions.sql.ResultPrinter")
        schema = self._jdf.schema()
        fields = [(str(f.name()), str(f.dataType().typeName())) for f in schema.fields()]
        rows = self._jdf.collectAsList()
        records = [json.loads(str(ResultPrinter.json(r, schema))) for r in rows]
        pdf = pd.DataFrame.from_records(records, columns=[n for n, _ in fields])
        for name, kind in fields:
            pdf[name] = _convert(pdf[name], kind)
        return pdf

    def count(self):
        return int(self._jdf.count())

    @property
    def columns(self):
        return [str(c) for c in self._jdf.columns()]


def _convert(col, kind):
    """JSON values to pandas dtypes: timestamps and dates as naive UTC datetime64, integers as int64
    (float64 when there are nulls, as PySpark does), nested values as dicts and lists."""
    if kind in ("timestamp", "timestamp_ntz", "date"):
        return pd.to_datetime(col, utc=True).dt.tz_localize(None)
    if kind in ("long", "integer", "short", "byte"):
        # int64 unless there are nulls, then float64 with NaN, like PySpark.
        return col.astype("int64") if col.notna().all() else col.astype("float64")
    if kind in ("double", "float") or kind.startswith("decimal"):
        return col.astype("float64")
    if kind == "boolean" and col.notna().all():
        return col.astype("bool")
    return col


def _classpath():
    cp_file = os.path.join(ROOT, "target", "classpath.txt")
    if not os.path.exists(cp_file):
        raise RuntimeError(
            f"{cp_file} is missing: build the project first (cd {ROOT} && ./mvnw -q -B -DskipTests compile)"
        )
    with open(cp_file) as f:
        cp = [os.path.join(ROOT, "target", "classes")] + f.read().strip().split(os.pathsep)
    return cp + _jpype_jar()


def _jpype_jar():
    """JPype's own Java side. Debian's python3-jpype 1.4 puts it in /usr/share/java and, unlike
    a pip install, does not find it there by itself (ClassNotFoundException: DynamicClassLoader)."""
    import _jpype

    if os.path.exists(os.path.join(os.path.dirname(_jpype.__file__), "org.jpype.jar")):
        return []
    debian = "/usr/share/java/org.jpype.jar"
    return [debian] if os.path.exists(debian) else []


def _jvm_options():
    """The Java 17 flags from jobs/lib.sh (RUM_ADD_OPENS), so that they are kept in one place."""
    flags = None
    with open(os.path.join(ROOT, "jobs", "lib.sh")) as f:
        for line in f:
            if line.startswith("RUM_ADD_OPENS="):
                flags = line.split("=", 1)[1].strip().strip('"').split()
    if not flags:
        raise RuntimeError("RUM_ADD_OPENS not found in jobs/lib.sh")
    log4j = os.path.join(ROOT, "conf", "log4j2.properties")
    # Notebook queries are short: the quick JIT alone halves the CPU time of a run on two cores.
    # JAVA_OPTS comes last and wins (e.g. -XX:TieredStopAtLevel=4 for long queries on big data).
    quick_jit = ["-XX:TieredStopAtLevel=1"]
    return flags + [f"-Dlog4j2.configurationFile={log4j}"] + quick_jit + os.environ.get("JAVA_OPTS", "").split()
