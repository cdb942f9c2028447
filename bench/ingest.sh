#!/usr/bin/env bash
# Ingest benchmark: a controller (separate JVM, TLS, embedded H2 in a temp dir) and N simulated agents
# (another JVM, one gRPC channel each) on loopback. Prints reports/s, ack latency percentiles and lost
# reports (acknowledged reports missing from the database after the controller stops), and the CPU each
# process used while measured, by thread group. Beside the agents' ack latency it prints the controller's own
# (handler to ack, from its /metrics) and each JVM's GC pauses in the window: the load generator shares the
# machine, and its pauses and its share of the cores show up in what the agents measure.
#
# BENCH_TRANSPORT=call sends every report as its own Report call, as agents do with an older controller;
# the default is the control stream.
#
# BENCH_CONTROLLERS=2 (with BENCH_DB) starts a second controller on the same database; the agents are split
# between the two.
#
#   bench/ingest.sh [AGENTS=2000] [INTERVAL_MS=1000] [MEASURE_S=30] [WARMUP_S=10]
#
# WARMUP_S is a minimum: the measured window starts once the backlog of the first seconds has drained (under
# 100 ms worth of reports unanswered for 5 s), or after 3 × WARMUP_S with a NOT SETTLED warning.
#
# CONTROLLER_CPUS=0 LOAD_CPUS=1 pins the controller and the simulated agents to separate cores (taskset).
# Pinned to one CPU the JVM picks SerialGC; add -XX:+UseG1GC to CONTROLLER_JAVA_OPTS to keep the controller's collector.
# DB_CPUS=… (with BENCH_DB on this machine) also pins the local PostgreSQL server's processes, and gives them back
# their cores at the end. On a machine with 4 cores or more, CONTROLLER_CPUS=0,1 LOAD_CPUS=2 DB_CPUS=3 measures the
# issue's target as stated: a controller on 2 cores of its own. The server's CPU is printed whenever it runs here.
#
# BENCH_KEEP=1 keeps the run's directory (controller log, GC logs, metrics scrapes) and prints where it is.
#
# CONTROLLER_ARGS adds options to `macfleet serve` (e.g. "--commit-gap 10"); CONTROLLER_JAVA_OPTS adds JVM options.
#
# BENCH_DB=postgresql://127.0.0.1:5432/DB (a fresh database) runs the controller on PostgreSQL instead, with
# $MACFLEET_DB_USER and $MACFLEET_DB_PASSWORD for credentials.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AGENTS="${1:-2000}"; INTERVAL="${2:-1000}"; MEASURE="${3:-30}"; WARMUP="${4:-10}"
VERSION="0.1.0-SNAPSHOT"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -Pbench package)
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"
BENCH_JAR="$ROOT/bench/target/macfleet-bench-$VERSION-all.jar"
TMP="$(mktemp -d)"
source "$ROOT/bench/_lib.sh"
PORT="$(free_port)"
METRICS_PORT="$(free_port)"
CONTROLLERS="${BENCH_CONTROLLERS:-1}"
if [[ "$CONTROLLERS" != 1 && -z "${BENCH_DB:-}" ]]; then
  echo "BENCH_CONTROLLERS=2 needs BENCH_DB=postgresql://… (several controllers share one PostgreSQL database)" >&2
  exit 2
fi
# the PostgreSQL server's processes, when BENCH_DB is on this machine (postmaster and backends, joined by "+")
local_db_pids() {
  [[ "${BENCH_DB:-}" =~ ^postgresql://(127\.0\.0\.1|localhost)[:/] ]] && pgrep -x postgres | paste -sd+ || true
}
DB_MASK=""
if [[ -n "${DB_CPUS:-}" ]]; then
  DB_PIDS="$(local_db_pids)"
  if [[ -z "$DB_PIDS" ]]; then
    echo "DB_CPUS pins a PostgreSQL server on this machine: set BENCH_DB=postgresql://127.0.0.1:5432/DB and start it" >&2
    exit 2
  fi
  DB_MASK="$(taskset -p "${DB_PIDS%%+*}" | awk '{print $NF}')"
  for p in ${DB_PIDS//+/ }; do taskset -a -p -c "$DB_CPUS" "$p" >/dev/null; done
fi
unpin_db() { if [[ -n "$DB_MASK" ]]; then for p in $(pgrep -x postgres); do taskset -a -p "$DB_MASK" "$p" >/dev/null 2>&1; done; fi; }
cleanup() { unpin_db; for p in ${CTL:-} ${CTL2:-}; do kill "$p" 2>/dev/null; done; wait 2>/dev/null || true; if [[ -n "${BENCH_KEEP:-}" ]]; then echo "kept $TMP (logs, GC logs, metrics)"; else rm -rf "$TMP"; fi; }
trap cleanup EXIT

# CONTROLLER_CPUS / LOAD_CPUS (taskset lists, e.g. 0 and 1) keep the two processes off each other's cores
# (only ever run in the background: exec makes $! the java process itself)
pin() { local cpus="$1"; shift; if [[ -n "$cpus" ]]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi; }
pin "${CONTROLLER_CPUS:-}" java -Xmx1g "-Xlog:gc:file=$TMP/gc-controller.log:time" ${CONTROLLER_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.io.macfleet.controller.fleet.IngestQueue=debug -jar "$CONTROLLER_JAR" serve \
  --listen "127.0.0.1:$PORT" --data-dir "$TMP/ctl" --metrics-port "$METRICS_PORT" ${BENCH_DB:+--db "$BENCH_DB"} ${CONTROLLER_ARGS:-} \
  >"$TMP/controller.log" 2>&1 &
CTL=$!
wait_port "$PORT"
TARGETS="127.0.0.1:$PORT"
if [[ "$CONTROLLERS" == 2 ]]; then
  # the second controller shares the first's trust (CA, certificates, secrets), as README's "Several controllers"
  mkdir -p "$TMP/ctl2"
  cp -rp "$TMP/ctl/tls" "$TMP/ctl/admin-token" "$TMP/ctl/enrollment-secret" "$TMP/ctl/agent-bundle.json" "$TMP/ctl2/"
  PORT2="$(free_port)"
  pin "${CONTROLLER_CPUS:-}" java -Xmx1g "-Xlog:gc:file=$TMP/gc-controller2.log:time" ${CONTROLLER_JAVA_OPTS:-} -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.io.macfleet.controller.fleet.IngestQueue=debug -jar "$CONTROLLER_JAR" serve \
    --listen "127.0.0.1:$PORT2" --data-dir "$TMP/ctl2" --metrics-port -1 --db "$BENCH_DB" ${CONTROLLER_ARGS:-} \
    >"$TMP/controller2.log" 2>&1 &
  CTL2=$!
  wait_port "$PORT2"
  TARGETS="$TARGETS,127.0.0.1:$PORT2"
fi

echo "machine: $(nproc --all) cores${CONTROLLER_CPUS:+ (controller on cpu $CONTROLLER_CPUS)}${LOAD_CPUS:+ (agents on cpu $LOAD_CPUS)}${DB_CPUS:+ (database on cpu $DB_CPUS)}, $(free -g | awk '/Mem:/{print $2}') GiB; $(java -version 2>&1 | head -1); database: ${BENCH_DB:-embedded H2}"
set +e
# the load generator runs ParallelGC with one GC thread: the harness should spend its share of the cores on agents,
# not on G1, and its pauses must leave the controller a core (two GC threads stopped both cores for up to 267 ms).
# With the memory for it, a young generation so large that it does not collect in a run at all: with 2 GB it paused
# for 80-100 ms every 20 s, and the agents counted each pause as the controller's latency.
if (( $(free -g | awk '/Mem:/{print $2}') >= 16 )); then
  LOAD_HEAP="-Xms6g -Xmx6g -Xmn5g -XX:+AlwaysPreTouch"
else
  LOAD_HEAP="-Xmx2g"
fi
pin "${LOAD_CPUS:-}" java $LOAD_HEAP "-Xlog:gc:file=$TMP/gc-agents.log:time" ${LOAD_JAVA_OPTS:--XX:+UseParallelGC -XX:ParallelGCThreads=1} -jar "$BENCH_JAR" "$TARGETS" "$TMP/ctl" "$AGENTS" "$INTERVAL" "$WARMUP" "$MEASURE" \
  > "$TMP/load.out" 2>&1 &
LOAD=$!
# the embedded database's file size every 5 s (it is appended to and compacted while running; docs/h2-durability.md)
if [[ -z "${BENCH_DB:-}" ]]; then
  (while kill -0 "$LOAD" 2>/dev/null; do
     printf '%s %s\n' "$(date +%s)" "$(stat -c %s "$TMP/ctl/macfleet.mv.db" 2>/dev/null || echo 0)"; sleep 5
   done) > "$TMP/db-size.log" &
fi
# shown as it comes; not `> >(tee …)`, whose process substitution can leave $! naming tee instead of the JVM
tail -f --pid="$LOAD" "$TMP/load.out" &
SHOW=$!
# CPU by thread group over the measured window, for both processes
until grep -q "^measuring" "$TMP/load.out" 2>/dev/null || ! kill -0 "$LOAD" 2>/dev/null; do sleep 0.5; done
WINDOW_START="$(date +%s.%N)"
scrape() { curl -s --max-time 5 "http://127.0.0.1:$METRICS_PORT/metrics" > "$1" || true; }
scrape "$TMP/metrics-before.prom"
DB_NOW="$(local_db_pids)"
kill -0 "$LOAD" 2>/dev/null && python3 "$ROOT/bench/thread-cpu.py" "$(( MEASURE > 4 ? MEASURE - 2 : MEASURE ))" \
  "controller=$CTL" ${CTL2:+"controller2=$CTL2"} "agents=$LOAD" ${DB_NOW:+"database=$DB_NOW"} > "$TMP/cpu.out" 2>&1 || true
scrape "$TMP/metrics-after.prom"
WINDOW_END="$(date +%s.%N)"
wait "$LOAD"
LOAD_RC=$?
wait "$SHOW" 2>/dev/null
set -e
kill "$CTL" ${CTL2:-}; wait "$CTL" ${CTL2:-} 2>/dev/null || true; CTL=""; CTL2=""
for log in "$TMP"/controller*.log; do
  grep "ingest stopped" "$log" | sed "s/.*ingest/ingest/" | tail -1 || true
  # the writer's own figures every 5 s (IngestQueue at debug): batches, their average and slowest time, the queue
  grep "ingest: " "$log" | sed "s/.*ingest: /writer: /" | tail -"$(( MEASURE / 5 + 1 ))" || true
  # what went wrong, if anything did (refused reports are retried by the agents and counted above)
  grep -E "ERROR|WARN" "$log" | grep -v "^\s" | sort | uniq -c | sort -rn | head -5 || true
done
cat "$TMP/cpu.out" 2>/dev/null || true
if [[ -n "${WINDOW_START:-}" ]]; then
  # the first controller's figures (with two, each sees only its own agents)
  python3 "$ROOT/bench/ack-histogram.py" "$TMP/metrics-before.prom" "$TMP/metrics-after.prom" || true
  GC_LOGS=("controller=$TMP/gc-controller.log")
  [[ "$CONTROLLERS" == 2 ]] && GC_LOGS+=("controller2=$TMP/gc-controller2.log")
  python3 "$ROOT/bench/gc-pauses.py" "$WINDOW_START" "$WINDOW_END" "${GC_LOGS[@]}" "agents=$TMP/gc-agents.log" || true
  # commits over 50 ms (IngestQueue at debug): wall time far above the writer's CPU means it waited, not worked
  python3 - "$WINDOW_START" "$WINDOW_END" "$TMP/controller.log" <<'PY' || true
import datetime, re, sys
start, end = float(sys.argv[1]), float(sys.argv[2])
n = wall = cpu = 0
for line in open(sys.argv[3]):
    m = re.match(r"(\S+Z) .*slow commit: \d+ report\(s\) in (\d+) ms, (\d+) ms of it", line)
    if m and start <= datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp() <= end:
        n, wall, cpu = n + 1, wall + int(m.group(2)), cpu + int(m.group(3))
print(f"slow commits (over 50 ms) in the window: {n}" + (f", {wall} ms in all, {cpu} ms of it the writer's CPU" if n else ""))
PY
fi
if [[ -s "$TMP/db-size.log" ]]; then
  # largest and last file size, and how often the controller compacted it (each shrink of the file is one)
  awk '{ if ($2 > max) max = $2; if (NR > 1 && $2 < prev) n++; prev = $2; last = $2 }
    END { printf "h2 file: largest %.1f MB, at the end %.1f MB, %d compaction(s) while running\n", max / 1048576, last / 1048576, n }' \
    "$TMP/db-size.log"
fi
STORED="$(sed -n 's/^RESULT_STORED=//p' "$TMP/load.out")"
java -cp "$BENCH_JAR" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn 'io.macfleet.bench.IngestLoad$CountRows' "$TMP/ctl" \
  > "$TMP/rows.out"
grep -v "^RESULT_ROWS=" "$TMP/rows.out" || true
ROWS="$(sed -n 's/^RESULT_ROWS=//p' "$TMP/rows.out")"
echo "database rows $ROWS, acknowledged as stored $STORED, lost $(( STORED > ROWS ? STORED - ROWS : 0 ))"
exit "$LOAD_RC"
