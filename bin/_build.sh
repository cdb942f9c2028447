# Shared by bin/macfleet and bin/macfleet-agent: locate the runnable jars, building them when needed.
VERSION="0.1.0-SNAPSHOT"
AGENT_JAR="$ROOT/agent/target/macfleet-agent-$VERSION-all.jar"
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"

newer_than() { # JAR PATH...: true when any file under PATH is newer than JAR
  local jar="$1"; shift
  [[ -n "$(find "$@" -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

stale() {
  [[ -f "$AGENT_JAR" && -f "$CONTROLLER_JAR" ]] || return 0
  local common=("$ROOT/pom.xml" "$ROOT/proto/src" "$ROOT/proto/pom.xml")
  newer_than "$AGENT_JAR" "${common[@]}" "$ROOT/agent/src/main" "$ROOT/agent/pom.xml" ||
    newer_than "$CONTROLLER_JAR" "${common[@]}" "$ROOT/controller/src/main" "$ROOT/controller/pom.xml"
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
    # Maven leaves an unchanged module's jar untouched; mark both as built now
    touch "$AGENT_JAR" "$CONTROLLER_JAR"
  fi
}
