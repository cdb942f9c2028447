# Shared by bin/macfleet and bin/macfleet-agent: locate the runnable jars, building them when needed.
VERSION="0.1.0-SNAPSHOT"
AGENT_JAR="$ROOT/agent/target/macfleet-agent-$VERSION-all.jar"
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"
# tools beside the product: the Ollama API simulator and the demo fleet (not in the agent's or controller's jar)
SIMULATOR_JAR="$ROOT/simulator/target/macfleet-ollama-simulator-$VERSION-all.jar"
DEMO_JAR="$ROOT/demo/target/macfleet-demo-$VERSION.jar"

newer_than() { # JAR PATH...: true when any file under PATH is newer than JAR
  local jar="$1"; shift
  [[ -n "$(find "$@" -newer "$jar" -type f -print -quit 2>/dev/null)" ]]
}

stale() {
  [[ -f "$AGENT_JAR" && -f "$CONTROLLER_JAR" && -f "$SIMULATOR_JAR" && -f "$DEMO_JAR" ]] || return 0
  local common=("$ROOT/pom.xml" "$ROOT/proto/src" "$ROOT/proto/pom.xml")
  newer_than "$AGENT_JAR" "${common[@]}" "$ROOT/agent/src/main" "$ROOT/agent/pom.xml" ||
    newer_than "$CONTROLLER_JAR" "${common[@]}" "$ROOT/controller/src/main" "$ROOT/controller/pom.xml" ||
    newer_than "$SIMULATOR_JAR" "$ROOT/pom.xml" "$ROOT/simulator/src/main" "$ROOT/simulator/pom.xml" ||
    newer_than "$DEMO_JAR" "$CONTROLLER_JAR" "$ROOT/demo/src/main" "$ROOT/demo/pom.xml"
}

ensure_built() {
  if ! command -v java >/dev/null 2>&1; then
    echo "error: java not found; install a JDK 17 or newer" >&2
    exit 1
  fi
  if [[ "${MACFLEET_SKIP_BUILD:-}" != "1" ]] && stale; then
    echo "building macfleet (./mvnw package; the first run downloads dependencies)…" >&2
    # one line per module as the build reaches it; the whole log only when it fails
    local log
    log="$(mktemp)"
    if ! (cd "$ROOT" && ./mvnw -B -DskipTests -Dstyle.color=never package 2>&1) | tee "$log" |
      while IFS= read -r line; do # (GNU and BSD alike: no sed -u, no grep --line-buffered)
        if [[ "$line" == "[INFO] Building macfleet"* ]]; then
          echo "  building ${line#\[INFO\] Building }" >&2
        fi
      done; then
      tail -40 "$log" >&2
      rm -f "$log"
      echo "error: build failed (the end of its log is above); run ./mvnw -DskipTests package to see all of it" >&2
      exit 1
    fi
    rm -f "$log"
    # Maven leaves an unchanged module's jar untouched; mark all as built now
    touch "$AGENT_JAR" "$CONTROLLER_JAR" "$SIMULATOR_JAR" "$DEMO_JAR"
  fi
}

# The CLI's JVM flags, chosen by measurement (docs/benchmarks.md, "CLI start-up"): C1 only and the serial
# collector (a command lives for a second), and a class-data-sharing archive of the classes the common commands
# load, kept beside the jar. The archive is recorded once per build (and per JDK) by a training run against a
# throw-away controller on loopback; MACFLEET_CDS=off runs without it. JVM log lines go to stderr only, so a
# stale or foreign archive (which the JVM then ignores) never reaches a command's output.
cli_java_opts() {
  CLI_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xlog:disable -Xlog:all=error:stderr)
  [[ "${MACFLEET_CDS:-}" == "off" ]] && return 0
  local jsa="${CONTROLLER_JAR%.jar}.jsa" java_bin
  java_bin="$(readlink -f "$(command -v java)")"
  if [[ ! -f "$jsa" || "$CONTROLLER_JAR" -nt "$jsa" || "$java_bin" -nt "$jsa" ]]; then
    echo "preparing the CLI's start-up archive (once per build, about 10 s)…" >&2
    local tmp="$jsa.$$"
    if java "${CLI_OPTS[@]}" -XX:ArchiveClassesAtExit="$tmp" -cp "$CONTROLLER_JAR" \
      io.macfleet.controller.cli.StartupTraining >/dev/null 2>&1; then
      mv -f "$tmp" "$jsa"
    else
      rm -f "$tmp"
      echo "  (could not record it; the CLI runs without it)" >&2
      return 0
    fi
  fi
  CLI_OPTS+=(-XX:SharedArchiveFile="$jsa")
}
