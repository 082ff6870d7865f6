# Shared by the launchers in jobs/: build when needed, the Java 17 flags Spark needs, the classpath.
# ROOT must be set to the checkout.

# The --add-opens list spark-submit adds by itself on Java 17 (JavaModuleOptions).
RUM_ADD_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

# Which Spark the launchers run on. RUM_SPARK unset or 3: the default build (Spark 3.5, Scala 2.12)
# in target/. RUM_SPARK=4: the spark4 profile's build (Spark 4.0, Scala 2.13) in target/spark4, with
# its own classes, classpath.txt, stamp and cluster jar, so the two builds never overwrite each other.
case "${RUM_SPARK:-3}" in
  3)
    RUM_BUILD="$ROOT/target"
    RUM_MVN_PROFILE=""
    RUM_SPARK_CORE="spark-core_2.12-3.5." ;;
  4)
    RUM_BUILD="$ROOT/target/spark4"
    RUM_MVN_PROFILE="-Pspark4"
    RUM_SPARK_CORE="spark-core_2.13-4.0." ;;
  *)
    echo "jobs/$(basename "$0"): RUM_SPARK must be 3 (Spark 3.5, Scala 2.12; the default) or 4 (Spark 4.0, Scala 2.13), was '${RUM_SPARK}'" >&2
    exit 2 ;;
esac
# The build folder as the messages name it: target or target/spark4.
RUM_BUILD_NAME="${RUM_BUILD#"$ROOT"/}"

# For the tools that exist for the default build only (the notebooks' JPype Spark, the benchmark).
rum_spark3_only() {
  if [ "${RUM_SPARK:-3}" != 3 ]; then
    echo "jobs/$(basename "$0"): runs on the Spark 3.5 build only (target/); unset RUM_SPARK" >&2
    exit 2
  fi
}

rum_build_if_needed() {
  local stamp="$RUM_BUILD/.launcher-build"
  if [ "${RUM_SESSIONS_NO_BUILD:-}" = "1" ] && [ -f "$RUM_BUILD/classpath.txt" ]; then
    return 0
  fi
  if [ ! -f "$stamp" ] || [ ! -f "$RUM_BUILD/classpath.txt" ] \
     || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    echo "rum-sessions: building $RUM_BUILD_NAME (first run or sources changed) ..." >&2
    # shellcheck disable=SC2086 # no profile is an empty word
    (cd "$ROOT" && ./mvnw -q -B $RUM_MVN_PROFILE -DskipTests compile >&2) || {
      echo "rum-sessions: build failed: see the Maven output above; fix it and run again." >&2
      exit 1
    }
    touch "$stamp"
  fi
}

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

# The embedded local Spark lives in this one JVM, so its heap is the run's memory. Without a cap the
# JVM takes a quarter of the machine and grows toward it; 3 GiB keeps a run under 4 GB resident
# (a run keeps its large intermediate result on local disk, and Spark spills what does not fit).
# RUM_SESSIONS_HEAP changes the cap; an -Xmx in JAVA_OPTS wins over both. A batch run wants
# throughput rather than short pauses, hence the parallel collector, unless JAVA_OPTS names one.
rum_java_opts() {
  local heap="-Xmx${RUM_SESSIONS_HEAP:-3g}" gc="-XX:+UseParallelGC"
  case " ${JAVA_OPTS:-} " in *" -Xmx"*) heap="" ;; esac
  case " ${JAVA_OPTS:-} " in *"GC "*|*"GC="*) gc="" ;; esac
  echo "$RUM_ADD_OPENS $heap $gc -Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties ${JAVA_OPTS:-}"
}

# The JIT for a command. A query of the sql command is over in seconds, most of them spent starting
# the JVM and Spark and running code once: the optimizing compiler (C2) cost it as much CPU as the
# query (measured: 9.5 s wall and 16.2 s CPU with it, 7.9 s and 9.2 s without; docs/performance.md), so sql uses only the
# quick compiler (C1). Batch commands keep both, with compile thresholds three times the default:
# every Spark query brings its own generated classes, and at 2 million events the JIT compiled 32,000
# methods in 90 s of CPU, a third of the run's CPU on 2 cores; with only code that stays hot
# compiled, the run took 82.7 s instead of 89 s and 148 s of CPU instead of 166 s (docs/performance.md).
# A JIT option in JAVA_OPTS wins.
rum_jit_opts() {
  case " ${JAVA_OPTS:-} " in *" -XX:TieredStopAtLevel"*|*"TieredCompilation"*|*"CompileThreshold"*) return 0 ;; esac
  case "${1:-}" in
    sql) echo "-XX:TieredStopAtLevel=1" ;;
    *) echo "-XX:CompileThresholdScaling=3" ;;
  esac
}

# Class-data sharing for sql, whose analysts wait for the JVM and Spark to start dozens of times a
# day: the first sql after a build records the classes it loaded into an archive under
# $RUM_BUILD/cds (about 140 MB, written once, at the end of that run); later runs map it instead of
# loading and verifying some 15,000 classes from jars (measured: 3 s less CPU per query;
# docs/performance.md). The JVM archives classes from jars only, so sql runs the project's classes
# from a jar of target/classes, remade when a class is newer. The archive's name is a checksum of the
# JVM and of every jar (path, size, time), so any change makes a new one; a JVM that cannot use an
# archive runs without it, and its messages about it go nowhere (sql's output is data). Sets
# RUM_CDS_CLASSPATH, RUM_CDS_OPTS, and RUM_CDS_DUMP (the file this run writes at exit, to be renamed
# to RUM_CDS_ARCHIVE; empty when the run maps an archive or runs without one). Returns 1 when sql
# should run as every other command: RUM_SESSIONS_CDS=0, a -Xshare or archive option in JAVA_OPTS,
# no jar tool, or a build folder it cannot write.
rum_sql_cds() {
  RUM_CDS_OPTS="" RUM_CDS_DUMP="" RUM_CDS_ARCHIVE="" RUM_CDS_CLASSPATH=""
  case "${RUM_SESSIONS_CDS:-1}" in 1 | record) ;; *) return 1 ;; esac
  case " ${JAVA_OPTS:-} " in *" -Xshare"*|*"SharedArchiveFile"*|*"ArchiveClassesAtExit"*) return 1 ;; esac
  command -v jar >/dev/null 2>&1 || return 1
  local dir="$RUM_BUILD/cds" jar key tmp
  mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 1
  jar="$dir/classes.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$RUM_BUILD/classes" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    tmp="$dir/classes.jar.$$"
    if ! (cd "$RUM_BUILD/classes" && jar cf "$tmp" .) 2>/dev/null || ! mv -f "$tmp" "$jar"; then
      rm -f "$tmp"
      return 1
    fi
  fi
  RUM_CDS_CLASSPATH="$jar:$(cat "$RUM_BUILD/classpath.txt")"
  # shellcheck disable=SC2046 # one path per word
  key=$( { readlink -f "$(command -v java)"; echo "${JAVA_OPTS:-}"; ls -lL --time-style=+%s $(tr ':' ' ' <<<"$RUM_CDS_CLASSPATH") 2>&1; } | cksum | cut -d' ' -f1)
  RUM_CDS_ARCHIVE="$dir/sql-$key.jsa"
  # Unified JVM logging goes to standard output by default; only errors, and to standard error
  # (before JAVA_OPTS on the command line, so that an -Xlog there still applies).
  local quiet="-Xlog:disable -Xlog:all=error:stderr"
  if [ -f "$RUM_CDS_ARCHIVE" ]; then
    RUM_CDS_OPTS="-XX:SharedArchiveFile=$RUM_CDS_ARCHIVE $quiet"
  elif [ ! -e "$RUM_CDS_ARCHIVE.tried" ]; then
    # One attempt per archive: a run that cannot write it (killed, out of disk) does not make every
    # later run pay for another try.
    touch "$RUM_CDS_ARCHIVE.tried"
    RUM_CDS_DUMP="$RUM_CDS_ARCHIVE.$$"
    RUM_CDS_OPTS="-XX:ArchiveClassesAtExit=$RUM_CDS_DUMP $quiet"
  fi
  return 0
}

# After a run that wrote RUM_CDS_DUMP: puts it in place (a rename, so a concurrent sql never maps a
# half-written file) and removes the archives of earlier builds.
rum_sql_cds_keep() {
  if [ -n "$RUM_CDS_DUMP" ] && [ -s "$RUM_CDS_DUMP" ]; then
    local old
    for old in "$RUM_BUILD"/cds/sql-*.jsa "$RUM_BUILD"/cds/sql-*.jsa.tried; do
      case "$old" in "$RUM_CDS_ARCHIVE" | "$RUM_CDS_ARCHIVE.tried") ;; *) rm -f "$old" ;; esac
    done
    mv -f "$RUM_CDS_DUMP" "$RUM_CDS_ARCHIVE"
  fi
  [ -z "$RUM_CDS_DUMP" ] || rm -f "$RUM_CDS_DUMP"
}

# Class-data sharing for the batch commands (sessionize, forget, maintain): an archive of the JDK's
# and the dependencies' classes (Spark, Scala, Delta, Hadoop: some 15,000), mapped at start instead
# of loaded and verified from jars. Measured at 2 million events: the JVM and Spark start and the
# planning about 3 s shorter (docs/performance.md). Unlike sql's, it is recorded apart from any real
# run, once per JVM and set of dependency jars: a short sessionize of a few generated sessions lists
# the classes it loads, then `java -Xshare:dump` writes them into $RUM_BUILD/cds/batch-KEY.jsa
# (about 180 MB; one to two minutes, with a line on standard error saying so). The project's own classes
# stay out of it and come after the jars on the class path, so a rebuild of the project keeps the
# archive; a new JDK or dependency makes a new key. Sets RUM_BATCH_CDS_OPTS and
# RUM_BATCH_CDS_CLASSPATH; returns 1 (run as before) when RUM_SESSIONS_CDS=0, JAVA_OPTS names an
# archive or -Xshare, the build folder is not writable, or there is no archive and this call may not
# record one. $1 = record: record when missing (once per key: a failed recording is not retried).
rum_batch_cds() {
  RUM_BATCH_CDS_OPTS="" RUM_BATCH_CDS_CLASSPATH=""
  case "${RUM_SESSIONS_CDS:-1}" in 1 | record) ;; *) return 1 ;; esac
  case " ${JAVA_OPTS:-} " in *" -Xshare"*|*"SharedArchiveFile"*|*"ArchiveClassesAtExit"*|*"DumpLoadedClassList"*) return 1 ;; esac
  local dir="$RUM_BUILD/cds" deps key archive java_home
  mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 1
  deps="$(cat "$RUM_BUILD/classpath.txt")"
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  # shellcheck disable=SC2046 # one path per word
  key=$( { echo "$java_home"; ls -lL --time-style=+%s "$java_home/lib/modules" $(tr ':' ' ' <<<"$deps") 2>&1; } | cksum | cut -d' ' -f1)
  archive="$dir/batch-$key.jsa"
  if [ ! -f "$archive" ]; then
    [ "${1:-}" = record ] && [ ! -e "$archive.tried" ] || return 1
    touch "$archive.tried"
    rum_batch_cds_record "$archive" "$deps" || return 1
  fi
  RUM_BATCH_CDS_CLASSPATH="$deps:$RUM_BUILD/classes"
  # Unified JVM logging goes to standard output by default, where sessionize prints its summary:
  # warnings and errors to standard error instead (before JAVA_OPTS, so that an -Xlog there applies).
  RUM_BATCH_CDS_OPTS="-XX:SharedArchiveFile=$archive -Xlog:disable -Xlog:all=warning:stderr"
  return 0
}

# Records the batch archive $1 for the dependency class path $2; its output goes to a log beside it.
rum_batch_cds_record() {
  local archive="$1" deps="$2" work log started old
  work="$(dirname "$archive")/record.$$"
  log="$(dirname "$archive")/record.log"
  started=$(date +%s)
  echo "rum-sessions: recording a class archive for the batch commands (once for this JDK and these jars, one to two minutes) ..." >&2
  # Work folders of recordings killed before they ended.
  rm -rf "$(dirname "$archive")"/record.*/ && mkdir -p "$work"
  # Its own configuration, so that what conf/local.yaml says cannot make it fail.
  printf '%s\n' "input: {path: '$work/raw'}" "warehouse: {path: '$work/warehouse'}" "spark:" "  master: local[2]" \
    "  conf: {spark.ui.enabled: \"false\", spark.driver.host: 127.0.0.1, spark.driver.bindAddress: 127.0.0.1}" >"$work/record.yaml"
  # shellcheck disable=SC2046 # the options are words
  if ! {
    java $(rum_java_opts) -cp "$RUM_BUILD/classes:$deps" org.rumsessions.cli.RumSessions generate \
      --out "$work/raw" --from 2026-01-01 --days 2 --sessions-per-day 20 --seed 7 --bad-fraction 0.02 \
    && java -XX:DumpLoadedClassList="$work/classes.list" $(rum_java_opts) $(rum_jit_opts sessionize) \
      -cp "$deps:$RUM_BUILD/classes" org.rumsessions.cli.RumSessions sessionize --config "$work/record.yaml" --date 2026-01-01 \
    && grep -v 'org/rumsessions/' "$work/classes.list" >"$work/deps.list" \
    && java -Xshare:dump -XX:SharedClassListFile="$work/deps.list" -XX:SharedArchiveFile="$work/batch.jsa" -cp "$deps" \
    && mv -f "$work/batch.jsa" "$archive"
  } >"$log" 2>&1; then
    rm -rf "$work"
    echo "rum-sessions: the class archive could not be recorded (see $log); commands run without it." >&2
    return 1
  fi
  rm -rf "$work"
  for old in "$(dirname "$archive")"/batch-*.jsa "$(dirname "$archive")"/batch-*.jsa.tried; do
    case "$old" in "$archive" | "$archive.tried") ;; *) rm -f "$old" ;; esac
  done
  echo "rum-sessions: class archive recorded in $(( $(date +%s) - started )) s." >&2
}

rum_classpath() {
  echo "$RUM_BUILD/classes:$(cat "$RUM_BUILD/classpath.txt")"
}

# For the scheduled jobs (sessionize-daily, maintain-weekly): runs one rum-sessions command through
# jobs/submit, or through jobs/rum-sessions (embedded local Spark) when SUBMIT_MODE=local. With
# RUM_DRY_RUN=1 it only prints the command, quoted so that it can be pasted into a shell.
# Arguments: spark-submit options, then "--", then the command's own arguments.
rum_run_job() {
  local submit=() cmd=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    submit+=("$1")
    shift
  done
  [ $# -gt 0 ] && shift
  case "${SUBMIT_MODE:-submit}" in
    submit)
      [ -z "${SPARK_MASTER:-}" ] || submit=(--master "$SPARK_MASTER" ${submit[@]+"${submit[@]}"})
      cmd=("$ROOT/jobs/submit" ${submit[@]+"${submit[@]}"} "$@") ;;
    local)
      [ ${#submit[@]} -eq 0 ] || echo "note: SUBMIT_MODE=local ignores the spark-submit options: ${submit[*]}" >&2
      cmd=("$ROOT/jobs/rum-sessions" "$@") ;;
    *)
      echo "SUBMIT_MODE must be submit or local, was '${SUBMIT_MODE}'" >&2
      return 2 ;;
  esac
  if [ "${RUM_DRY_RUN:-}" = "1" ]; then
    printf '%q ' "${cmd[@]}" | sed 's/ $//'
    echo
    return 0
  fi
  echo "running: ${cmd[*]}" >&2
  "${cmd[@]}"
}

# The date N days before a YYYY-MM-DD date (GNU date, else BSD date); fails on an invalid date.
rum_days_before() {
  local day="$1" n="$2"
  [[ "$day" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]] || return 1
  date -u -d "$day -$n days" +%F 2>/dev/null || date -u -j -v-"${n}"d -f %F "$day" +%F 2>/dev/null
}
