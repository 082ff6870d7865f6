# Shared by the launchers in jobs/: build when needed, the Java 17 flags Spark needs, the classpath.
# ROOT must be set to the checkout.

# The --add-opens list spark-submit adds by itself on Java 17 (JavaModuleOptions).
RUM_ADD_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

rum_build_if_needed() {
  local stamp="$ROOT/target/.launcher-build"
  if [ "${RUM_SESSIONS_NO_BUILD:-}" = "1" ] && [ -f "$ROOT/target/classpath.txt" ]; then
    return 0
  fi
  if [ ! -f "$stamp" ] || [ ! -f "$ROOT/target/classpath.txt" ] \
     || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    echo "rum-sessions: building (first run or sources changed) ..." >&2
    (cd "$ROOT" && ./mvnw -q -B -DskipTests compile >&2) || {
      echo "rum-sessions: build failed: see the Maven output above; fix it and run again." >&2
      exit 1
    }
    touch "$stamp"
  fi
}

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

rum_java_opts() {
  echo "$RUM_ADD_OPENS -Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties ${JAVA_OPTS:-}"
}

rum_classpath() {
  echo "$ROOT/target/classes:$(cat "$ROOT/target/classpath.txt")"
}
