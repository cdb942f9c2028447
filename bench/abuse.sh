#!/usr/bin/env bash
# The trust issue's hostile inputs together against one controller: a real controller process (TLS on loopback,
# the admin SSH endpoint and the ops port on, default limits), the attacks from another JVM at the same time, and
# a well-behaved host reporting once a second throughout. Prints per attack "held" or "NOT HELD" with what was
# seen, then whether the good host lost anything; exits 1 when anything was not held.
#   bench/abuse.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="0.1.0-SNAPSHOT"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -Pbench package)
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"
BENCH_JAR="$ROOT/bench/target/macfleet-bench-$VERSION-all.jar"
TMP="$(mktemp -d)"
source "$ROOT/bench/_lib.sh"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

PORT="$(free_port)"; SSH_PORT="$(free_port)"; OPS_PORT="$(free_port)"
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$CONTROLLER_JAR" serve --listen "127.0.0.1:$PORT" \
  --data-dir "$TMP/ctl" --ssh-port "$SSH_PORT" --metrics-port "$OPS_PORT" >"$TMP/controller.log" 2>&1 & pids+=($!)
wait_port "$PORT" 150
wait_port "$SSH_PORT" 150
mkdir -p "$TMP/work"
set +e
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=error -cp "$BENCH_JAR" io.macfleet.bench.Abuse \
  "127.0.0.1:$PORT" "$TMP/ctl" "$SSH_PORT" "$OPS_PORT" "$TMP/work"
code=$?
set -e
echo "controller log: $(grep -c ' WARN ' "$TMP/controller.log" || true) warnings, $(grep -c ' ERROR ' "$TMP/controller.log" || true) errors"
exit $code
