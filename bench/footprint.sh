#!/usr/bin/env bash
# Agent footprint: RSS and CPU of one agent (with the JVM flags its LaunchDaemon plist uses) reporting every
# 15 s to a local controller, against the Ollama API simulator, for DURATION seconds (default 600), and the
# classes it loaded.
#   bench/footprint.sh [DURATION_S=600] [INTERVAL=15s]
# MAX_RSS_MB=N makes it a regression guard: exit 1 when the largest RSS sample passes N (CI: docs/benchmarks.md).
# To measure one step at a time: CDS=off runs without the class-data archive, MALLOC_ARENAS=N overrides the plist's
# MALLOC_ARENA_MAX, EXTRA_AGENT_FLAGS come after the plist's flags (the last of a flag wins), SKIP_BUILD=1 uses the
# jars as built.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${1:-600}"; INTERVAL="${2:-15s}"
VERSION="0.1.0-SNAPSHOT"
[[ "${SKIP_BUILD:-}" == 1 ]] || (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
AGENT_JAR="$ROOT/agent/target/macfleet-agent-$VERSION-all.jar"
CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$VERSION-all.jar"
SIM_JAR="$ROOT/simulator/target/macfleet-ollama-simulator-$VERSION-all.jar"
TMP="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
source "$ROOT/bench/_lib.sh"

CPORT="$(free_port)"
java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar "$CONTROLLER_JAR" serve --listen "127.0.0.1:$CPORT" \
  --data-dir "$TMP/ctl" >"$TMP/controller.log" 2>&1 & pids+=($!)
cat >"$TMP/ollama.json" <<JSON
{"version":"0.32.15","models":[
 {"name":"qwen3.6:35b-a3b-nvfp4","digest":"$(printf '1%.0s' {1..64})","size":21474836480,"format":"safetensors","quantization_level":"nvfp4","loaded":true},
 {"name":"llama3.2:latest","digest":"a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72","size":2019393189,"format":"gguf","family":"llama","quantization_level":"Q4_K_M"}]}
JSON
OPORT="$(free_port)"
java -Xmx64m -jar "$SIM_JAR" --profile "$TMP/ollama.json" --port "$OPORT" >"$TMP/sim.log" 2>&1 & pids+=($!)
wait_port "$CPORT" 150
wait_port "$OPORT" 150
java -jar "$AGENT_JAR" enroll --controller "127.0.0.1:$CPORT" --secret-file "$TMP/ctl/agent-bundle.json" \
  --state-dir "$TMP/agent" --name footprint >/dev/null

# the agent's JVM flags and environment, exactly as its rendered LaunchDaemon plist has them (this state directory
# and jar), the class-data archive included
PLIST="$(java -jar "$AGENT_JAR" launchd-plist --state-dir "$TMP/agent" --jar "$AGENT_JAR")"
mapfile -t FLAGS < <(python3 -c '
import plistlib, sys
a = plistlib.loads(sys.stdin.buffer.read())["ProgramArguments"]
print("\n".join(a[1:a.index("-jar")]))' <<<"$PLIST")
ARENAS="${MALLOC_ARENAS:-}"
[[ -n "$ARENAS" ]] || ARENAS="$(python3 -c 'import plistlib, sys; print(plistlib.loads(sys.stdin.buffer.read())["EnvironmentVariables"]["MALLOC_ARENA_MAX"])' <<<"$PLIST")"
# what the Ansible role does after installing the jar: record the class-data archive in a short run (CDS=off skips
# it, and the agent then runs without one, as it does until the archive exists)
if [[ "${CDS:-on}" != "off" ]]; then
  java -jar "$AGENT_JAR" class-archive --state-dir "$TMP/agent" --jar "$AGENT_JAR" --ollama "http://127.0.0.1:$OPORT" \
    --seconds "${ARCHIVE_SECONDS:-20}"
fi

MALLOC_ARENA_MAX="$ARENAS" java "${FLAGS[@]}" -Xlog:class+load=info:file="$TMP/classes.log" ${EXTRA_AGENT_FLAGS:-} -jar "$AGENT_JAR" run --state-dir "$TMP/agent" --ollama "http://127.0.0.1:$OPORT" \
  --interval "$INTERVAL" >"$TMP/agent.log" 2>&1 &
AGENT=$!; pids+=($AGENT)
TICK=$(getconf CLK_TCK)
echo "agent flags: ${FLAGS[*]}"
echo "sampling agent pid $AGENT every 10 s for ${DURATION} s (interval $INTERVAL) on $(nproc) cores"
python3 - "$AGENT" "$DURATION" "$TICK" "${MAX_RSS_MB:-}" <<'PY'
import sys, time
pid, duration, tick = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
limit = float(sys.argv[4]) if sys.argv[4] else None
def rss_kb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
def cpu_s():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
time.sleep(10)
t0, c0 = time.time(), cpu_s()          # after start-up (JVM boot, first report)
t_start, c_start = t0, c0
samples = []
while time.time() - t_start < duration:
    time.sleep(10)
    samples.append(rss_kb())
t1, c1 = time.time(), cpu_s()
avg_cpu = 100.0 * (c1 - c_start) / (t1 - t_start)
print(f"rss MB: max {max(samples)/1024:.1f}  avg {sum(samples)/len(samples)/1024:.1f}  last {samples[-1]/1024:.1f}")
print(f"cpu: {c1 - c_start:.2f} s over {t1 - t_start:.0f} s = {avg_cpu:.3f} % of one core (after the first 10 s)")
if limit is not None and max(samples) / 1024 > limit:
    print(f"FAIL: RSS max {max(samples)/1024:.1f} MB is over the guard's {limit:.0f} MB")
    sys.exit(1)
PY
if [[ -n "${NMT:-}" ]]; then jcmd "$AGENT" VM.native_memory summary | grep -E "committed" | head -25; fi
echo "classes loaded: $(grep -c 'source:' "$TMP/classes.log" || true) ($(grep -c 'source: shared objects file' "$TMP/classes.log" || true) from class-data archives)"
echo "agent log lines: $(wc -l < "$TMP/agent.log") (errors: $(grep -c ERROR "$TMP/agent.log" || true))"
