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
  echo "$RUM_ADD_OPENS $heap $gc $(rum_page_opts) -Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties ${JAVA_OPTS:-}"
}

# Transparent huge pages (2 MB) for the heap and the compiled code, where the kernel offers them on
# request (madvise) or always. Every page a JVM touches first costs a fault, and on a virtual machine
# like this one a dear one: with huge pages, sql's count(*) took 5.7 s instead of 6.3 to 7.1 s and a
# 2M-event sessionize 73 to 76 s instead of 78 to 81 s, with 10 s less CPU; peak RSS 20 to 150 MB
# higher, 3.3 GB at 10M events (docs/performance.md). The JVM would print a warning, on standard output
# where sql prints its data, if asked where the kernel has them off (never), so it is not asked
# there. A JAVA_OPTS that names transparent or large pages (-XX:-UseTransparentHugePages) wins.
rum_page_opts() {
  case " ${JAVA_OPTS:-} " in *"TransparentHugePages"*|*"LargePages"*) return 0 ;; esac
  if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    echo "-XX:+UseTransparentHugePages"
  fi
  return 0
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

# Class-data sharing for the commands that start Spark (sessionize, forget, maintain, sql): a static
# archive of the JDK's and the dependencies' classes, $RUM_BUILD/cds/classes-KEY.jsa (about 180 MB),
# mapped instead of loading and verifying some 15,000 classes from jars: about 3 s less of start and
# planning per run, which is most of what an analyst waits for in sql (docs/performance.md). It is
# recorded apart from any real run, once per JDK and set of dependency jars (the key): a sessionize
# of 40 generated sessions and two sql queries over what it wrote list the classes they load
# (-XX:DumpLoadedClassList), ClassArchiveList keeps those the archive may hold, and java -Xshare:dump
# writes them (one to two minutes, with a line on standard error saying so). The project's own
# classes stay out of it and come after the jars on the class path, so a rebuild keeps the archive.
# Sets RUM_ARCHIVE_OPTS and RUM_ARCHIVE_CLASSPATH; returns 1 (run as before) when RUM_SESSIONS_CDS=0,
# JAVA_OPTS names an archive or -Xshare, the build folder is not writable, or there is no archive and
# this call may not record one. $1 = record: record when missing (once per key: a failed recording is
# not retried). RUM_ARCHIVE_FORMAT names what the recording leaves out (ClassArchiveList); a change of
# it makes a new key, so no archive recorded by an older launcher is mapped.
RUM_ARCHIVE_FORMAT="2: no project, multi-release or generated method handle classes"
rum_class_archive() {
  RUM_ARCHIVE_OPTS="" RUM_ARCHIVE_CLASSPATH=""
  case "${RUM_SESSIONS_CDS:-1}" in 1 | record) ;; *) return 1 ;; esac
  case " ${JAVA_OPTS:-} " in *" -Xshare"*|*"SharedArchiveFile"*|*"ArchiveClassesAtExit"*|*"DumpLoadedClassList"*) return 1 ;; esac
  local dir="$RUM_BUILD/cds" deps key archive java_home
  mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ] || return 1
  deps="$(cat "$RUM_BUILD/classpath.txt")"
  java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  # shellcheck disable=SC2046 # one path per word
  key=$( { echo "$RUM_ARCHIVE_FORMAT"; echo "$java_home"; ls -lL --time-style=+%s "$java_home/lib/modules" $(tr ':' ' ' <<<"$deps") 2>&1; } | cksum | cut -d' ' -f1)
  archive="$dir/classes-$key.jsa"
  if [ ! -f "$archive" ]; then
    [ "${1:-}" = record ] && [ ! -e "$archive.tried" ] || return 1
    touch "$archive.tried"
    rum_class_archive_record "$archive" "$deps" || return 1
  fi
  RUM_ARCHIVE_CLASSPATH="$deps:$RUM_BUILD/classes"
  # Unified JVM logging goes to standard output by default, where sessionize prints its summary and
  # sql its data: warnings and errors to standard error instead (before JAVA_OPTS, so that an -Xlog
  # there applies).
  RUM_ARCHIVE_OPTS="-XX:SharedArchiveFile=$archive -Xlog:disable -Xlog:all=warning:stderr"
  return 0
}

# Records the archive $1 for the dependency class path $2; its output goes to a log beside it.
rum_class_archive_record() {
  local archive="$1" deps="$2" work log started old
  work="$(dirname "$archive")/record.$$"
  log="$(dirname "$archive")/record.log"
  started=$(date +%s)
  echo "rum-sessions: recording a class archive (once for this JDK and these jars, one to two minutes) ..." >&2
  # Work folders of recordings killed before they ended.
  rm -rf "$(dirname "$archive")"/record.*/ && mkdir -p "$work"
  # Its own configuration, so that what conf/local.yaml says cannot make it fail.
  printf '%s\n' "input: {path: '$work/raw'}" "warehouse: {path: '$work/warehouse'}" "spark:" "  master: local[2]" \
    "  conf: {spark.ui.enabled: \"false\", spark.driver.host: 127.0.0.1, spark.driver.bindAddress: 127.0.0.1}" >"$work/record.yaml"
  local cp="$deps:$RUM_BUILD/classes" main=org.rumsessions.cli.RumSessions
  # shellcheck disable=SC2046 # the options are words
  if ! {
    java $(rum_java_opts) -cp "$cp" $main generate \
      --out "$work/raw" --from 2026-01-01 --days 2 --sessions-per-day 20 --seed 7 --bad-fraction 0.02 \
    && java -XX:DumpLoadedClassList="$work/sessionize.list" $(rum_java_opts) $(rum_jit_opts sessionize) -cp "$cp" \
      $main sessionize --config "$work/record.yaml" --date 2026-01-01 \
    && java -XX:DumpLoadedClassList="$work/sql.list" $(rum_java_opts) $(rum_jit_opts sql) -cp "$cp" \
      $main sql --config "$work/record.yaml" "SELECT count(*) FROM user_sessions" \
      "SELECT summary_status, count(*) AS events FROM user_events GROUP BY summary_status ORDER BY summary_status" \
    && java -cp "$RUM_BUILD/classes" org.rumsessions.cli.ClassArchiveList "$work/deps.list" "$deps" "$work/sessionize.list" "$work/sql.list" \
    && java -Xshare:dump -XX:SharedClassListFile="$work/deps.list" -XX:SharedArchiveFile="$work/archive.jsa" -cp "$deps" \
    && mv -f "$work/archive.jsa" "$archive"
  } >"$log" 2>&1; then
    rm -rf "$work"
    echo "rum-sessions: the class archive could not be recorded (see $log); commands run without it." >&2
    return 1
  fi
  rm -rf "$work"
  # Archives of other keys, and those of earlier launchers (batch-*, sql-*: not to be mapped again).
  for old in "$(dirname "$archive")"/classes-*.jsa "$(dirname "$archive")"/classes-*.jsa.tried \
    "$(dirname "$archive")"/batch-*.jsa* "$(dirname "$archive")"/sql-*.jsa* "$(dirname "$archive")"/classes.jar; do
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
