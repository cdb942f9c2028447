#!/usr/bin/env bash
# Queries over a big fleet: HOSTS hosts and SAMPLES probe samples (default 10,000 and 10 million) written into
# a fresh database, then a controller on it, and the wall time of `macfleet hosts` and `macfleet report` as a
# user sees it (CLI process start included), three times each.
#   bench/query-scale.sh [HOSTS=10000] [SAMPLES=10000000]
# BENCH_DB=postgresql://127.0.0.1:5432/DB (a fresh database) uses PostgreSQL, with $MACFLEET_DB_USER and
# $MACFLEET_DB_PASSWORD; without it, the embedded H2 in a temporary directory. CONTROLLER_JAVA_OPTS adds JVM options
# to the controller (after its -Xmx1g), e.g. the large-fleet heap settings the ingest benchmark measures.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOSTS="${1:-10000}"; SAMPLES="${2:-10000000}"
VERSION="0.1.0-SNAPSHOT"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -Pbench package)
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"
BENCH_JAR="$ROOT/bench/target/macfleet-bench-$VERSION-all.jar"
TMP="$(mktemp -d)"
source "$ROOT/bench/_lib.sh"
PORT="$(free_port)"
cleanup() { [[ -n "${CTL:-}" ]] && kill "$CTL" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
echo "machine: $(nproc) cores; database: ${BENCH_DB:-embedded H2}"
if [[ -n "${BENCH_DB:-}" ]]; then
  URL="jdbc:postgresql://${BENCH_DB#*://}"; U="${MACFLEET_DB_USER:-macfleet}"; P="${MACFLEET_DB_PASSWORD:-}"
else
  mkdir -p "$TMP/ctl"; URL="jdbc:h2:file:$TMP/ctl/macfleet;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE"; U=""; P=""
fi
java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_JAR" io.macfleet.bench.QueryLoad "$URL" "$U" "$P" \
  "$HOSTS" "$SAMPLES"
java -Xmx1g ${CONTROLLER_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$CONTROLLER_JAR" serve --listen "127.0.0.1:$PORT" \
  --data-dir "$TMP/ctl" --metrics-port -1 ${BENCH_DB:+--db "$BENCH_DB"} >"$TMP/controller.log" 2>&1 &
CTL=$!
wait_port "$PORT" 300
echo "== server side (one warm client, TLS, authenticated):"
java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_JAR" io.macfleet.bench.QueryTiming "127.0.0.1:$PORT" \
  "$TMP/ctl"
echo "== as a user runs them (a new CLI JVM each time):"
CLI=(java -jar "$CONTROLLER_JAR")
time_ms() { local t0 t1; t0=$(date +%s%N); "$@" >"$TMP/out" 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
for q in "hosts --json" "report --model qwen3.6:35b-a3b-nvfp4 --since 30d" "runs --host mac-00042"; do
  read -r -a args <<<"$q"
  times=()
  for _ in 1 2 3; do
    times+=("$(time_ms "${CLI[@]}" "${args[@]}" --controller "127.0.0.1:$PORT" --data-dir "$TMP/ctl")")
  done
  printf "%-55s %s ms (%s lines of output)\n" "macfleet $q" "${times[*]}" "$(wc -l <"$TMP/out")"
done
echo "(each figure includes starting the CLI's JVM; the same CLI call with nothing to do:)"
printf "%-55s %s ms\n" "macfleet --version" "$(time_ms "${CLI[@]}" --version)"
