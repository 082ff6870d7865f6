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
