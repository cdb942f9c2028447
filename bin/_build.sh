# Shared by bin/macfleet and bin/macfleet-agent: locate the runnable jars, building them when needed.
VERSION="0.1.0-SNAPSHOT"
AGENT_JAR="$ROOT/agent/target/macfleet-agent-$VERSION-all.jar"
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"

stale() {
  [[ -f "$AGENT_JAR" && -f "$CONTROLLER_JAR" ]] || return 0
  # any source or POM newer than the older of the two jars means a rebuild
  local oldest="$AGENT_JAR"
  [[ "$CONTROLLER_JAR" -ot "$AGENT_JAR" ]] && oldest="$CONTROLLER_JAR"
  [[ -n "$(find "$ROOT/pom.xml" "$ROOT/proto" "$ROOT/agent/src" "$ROOT/agent/pom.xml" "$ROOT/controller/src" \
    "$ROOT/controller/pom.xml" -newer "$oldest" -type f -print -quit 2>/dev/null)" ]]
}

ensure_built() {
  if ! command -v java >/dev/null 2>&1; then
    echo "error: java not found; install a JDK 17 or newer" >&2
    exit 1
  fi
  if [[ "${MACFLEET_SKIP_BUILD:-}" != "1" ]] && stale; then
    echo "building macfleet (./mvnw package, first run downloads dependencies)…" >&2
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package) >&2 || {
      echo "error: build failed; run ./mvnw -DskipTests package to see why" >&2
      exit 1
    }
  fi
}
