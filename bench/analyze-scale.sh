#!/usr/bin/env bash
# The verdict engine at fleet scale: HOSTS hosts × DAYS days of hourly runs, 24 samples each (default
# 1,000 × 30: 720,000 runs, 18 million samples), built in memory and judged; then a smaller fleet written as an
# NDJSON file and read back, for the parser's throughput.
#   bench/analyze-scale.sh [HOSTS=1000] [DAYS=30] [FILE_HOSTS=50]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOSTS="${1:-1000}"; DAYS="${2:-30}"; FILE_HOSTS="${3:-50}"
VERSION="0.1.0-SNAPSHOT"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -Pbench package)
BENCH_JAR="$ROOT/bench/target/macfleet-bench-$VERSION-all.jar"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
echo "== in memory: $HOSTS hosts × $DAYS days"
java -Xmx3g -cp "$BENCH_JAR" io.macfleet.bench.AnalyzeLoad memory "$HOSTS" "$DAYS"
echo "== from an NDJSON file: $FILE_HOSTS hosts × $DAYS days"
java -Xmx3g -cp "$BENCH_JAR" io.macfleet.bench.AnalyzeLoad file "$FILE_HOSTS" "$DAYS" "$TMP/fleet.ndjson"
