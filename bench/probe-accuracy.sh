#!/usr/bin/env bash
# Probe measurement error against known timing: the Ollama API simulator is configured with a TTFT and a
# decode rate, the probe measures them over real HTTP on loopback, and the difference is printed.
#   bench/probe-accuracy.sh [SAMPLES=24]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SAMPLES="${1:-24}"
(cd "$ROOT" && ./mvnw -q -B -DskipTests package)
JAR="$ROOT/agent/target/macfleet-agent-0.1.0-SNAPSHOT-all.jar"
SIM_JAR="$ROOT/simulator/target/macfleet-ollama-simulator-0.1.0-SNAPSHOT-all.jar"
source "$ROOT/bench/_lib.sh"
TMP="$(mktemp -d)"; SIM=""
trap '[[ -n "$SIM" ]] && kill "$SIM" 2>/dev/null; rm -rf "$TMP"' EXIT
echo "machine: $(nproc) cores; $(java -version 2>&1 | head -1)"
printf "%-10s %-12s %-8s | %-22s | %-24s\n" "ttft_ms" "decode_tok/s" "format" "TTFT p50 measured (err)" "decode p50 measured (err)"
for cfg in "50 100 gguf" "120 100 gguf" "500 30 gguf" "120 400 gguf" "120 60 safetensors"; do
  read -r TTFT RATE FORMAT <<<"$cfg"
  cat >"$TMP/p.json" <<JSON
{"version":"0.32.15","models":[{"name":"m:1","digest":"$(printf 'a%.0s' {1..64})","format":"$FORMAT","loaded":true}],
 "timing":{"ttft_ms":$TTFT,"decode_tokens_per_s":$RATE}}
JSON
  PORT="$(free_port)"
  java -jar "$SIM_JAR" --profile "$TMP/p.json" --port "$PORT" >"$TMP/sim.log" 2>&1 & SIM=$!
  wait_port "$PORT"
  java -jar "$JAR" probe --ollama "http://127.0.0.1:$PORT" --model m:1 --samples "$SAMPLES" --concurrency 1 \
    --num-predict 32 --no-telemetry --json > "$TMP/run.json" || true
  python3 - "$TMP/run.json" "$TTFT" "$RATE" "$FORMAT" <<'PY'
import json, sys
run = json.load(open(sys.argv[1])); ttft, rate = float(sys.argv[2]), float(sys.argv[3])
l = run["levels"][0]
t, d = l["ttft_p50_ms"], l["decode_p50_tokens_per_second"]
print(f"{ttft:<10.0f} {rate:<12.0f} {sys.argv[4][:8]:<8} | {t:8.2f} ms ({t - ttft:+6.2f} ms)   | {d:8.2f} ({100 * (d - rate) / rate:+6.2f} %)")
PY
  kill "$SIM"; wait "$SIM" 2>/dev/null || true; SIM=""
done
