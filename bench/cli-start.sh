#!/usr/bin/env bash
# How fast the CLI answers, as a user types it: wall time of `macfleet --version`, `macfleet hosts` on a
# 10-host fleet and `macfleet hosts --json` on a 10,000-host fleet, each beside a bare `java -version` in the
# same run (the floor any Java tool starts from). Each figure is the median of RUNS runs, through bin/macfleet
# (its start-up flags and class-data-sharing archive), against a warmed-up controller on loopback (TLS, embedded
# H2).
#   bench/cli-start.sh [RUNS=7]
# Targets (the operator's-surface issue): --version within 3× of java -version, hosts on 10 hosts within 5×,
# hosts --json on 10,000 hosts under 1.5 s.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-7}"
source "$ROOT/bench/_lib.sh"
bench_jars
TMP="$(mktemp -d)"
CTLS=()
cleanup() { for p in "${CTLS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT

# fleet NAME HOSTS: a fresh database with HOSTS hosts and a controller on it; sets PORT (not in a subshell: the
# controller's pid must reach CTLS, or it outlives the script)
fleet() {
  local dir="$TMP/$1" port
  mkdir -p "$dir"
  java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_JAR" io.macfleet.bench.QueryLoad \
    "jdbc:h2:file:$dir/macfleet;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE" "" "" "$2" "$(($2 * 24))" >/dev/null
  port="$(free_port)"
  java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$CONTROLLER_JAR" serve \
    --listen "127.0.0.1:$port" --data-dir "$dir" --metrics-port -1 >"$dir/controller.log" 2>&1 &
  CTLS+=($!)
  wait_port "$port" 300
  PORT="$port"
}

# median_ms CMD...: the median wall time of RUNS runs, in ms (the command must succeed)
median_ms() {
  local t=() t0 t1
  for _ in $(seq 1 "$RUNS"); do
    t0=$(date +%s%N)
    "$@" >"$TMP/out" 2>"$TMP/err" || { echo "failed: $*" >&2; cat "$TMP/err" >&2; exit 1; }
    t1=$(date +%s%N)
    t+=($(((t1 - t0) / 1000000)))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

fleet small 10
SMALL="$PORT"
fleet large 10000
LARGE="$PORT"
M="$ROOT/bin/macfleet"
"$M" --version >/dev/null # the first run after a build makes the class-data-sharing archive
# a controller that has been up a while: its first answers (cold JIT, cold caches) are not the CLI's start-up
for _ in 1 2 3 4 5; do
  "$M" hosts --controller "127.0.0.1:$SMALL" --data-dir "$TMP/small" >/dev/null
  "$M" hosts --json --limit 100000 --controller "127.0.0.1:$LARGE" --data-dir "$TMP/large" >/dev/null
done
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1); median of $RUNS runs each"
row() { # LABEL MS JAVA_MS
  printf "%-42s %6s ms  %5s × java -version\n" "$1" "$2" "$(awk -v a="$2" -v b="$3" 'BEGIN{printf "%.1f", a/b}')"
}
J1="$(median_ms java -version)"
printf "%-42s %6s ms\n" "java -version" "$J1"
row "macfleet --version" "$(median_ms "$M" --version)" "$J1"
row "macfleet --help" "$(median_ms "$M" --help)" "$J1"
J2="$(median_ms java -version)"
row "macfleet hosts (10 hosts)" \
  "$(median_ms "$M" hosts --controller "127.0.0.1:$SMALL" --data-dir "$TMP/small")" "$J2"
[[ "$(wc -l <"$TMP/out")" -ge 11 ]] || { echo "hosts printed $(wc -l <"$TMP/out") lines" >&2; exit 1; }
J3="$(median_ms java -version)"
row "macfleet hosts --json (10,000 hosts)" \
  "$(median_ms "$M" hosts --json --limit 100000 --controller "127.0.0.1:$LARGE" --data-dir "$TMP/large")" "$J3"
python3 -c 'import json,sys; n=len(json.load(open(sys.argv[1]))); assert n==10000, n' "$TMP/out"
