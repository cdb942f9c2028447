#!/usr/bin/env bash
# Scheduling at scale: N hosts (default 1,000), each on its own one-minute schedule, spread over the minute.
# Runs the controller (TLS, embedded H2) for MINUTES (default 3) and prints the dispatch lag: from each
# firing's due second to its run being recorded.
#   bench/schedule-scale.sh [N=1000] [MINUTES=3]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${1:-1000}"; MINUTES="${2:-3}"
VERSION="0.1.0-SNAPSHOT"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -Pbench package)
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"
BENCH_JAR="$ROOT/bench/target/macfleet-bench-$VERSION-all.jar"
TMP="$(mktemp -d)"
source "$ROOT/bench/_lib.sh"
PORT="$(free_port)"
cleanup() { [[ -n "${CTL:-}" ]] && kill "$CTL" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$CONTROLLER_JAR" serve --listen "127.0.0.1:$PORT" \
  --data-dir "$TMP/ctl" >"$TMP/controller.log" 2>&1 &
CTL=$!
wait_port "$PORT"
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1)"
java -cp "$BENCH_JAR" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.macfleet.bench.ScheduleLoad setup \
  "127.0.0.1:$PORT" "$TMP/ctl" "$N"
echo "running for $MINUTES minute(s)…"
sleep $((MINUTES * 60))
kill "$CTL"; wait "$CTL" 2>/dev/null || true; CTL=""
java -cp "$BENCH_JAR" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn io.macfleet.bench.ScheduleLoad lag "$TMP/ctl" "$N"
