#!/usr/bin/env bash
# Does the retention purge stall ingest? The report writer alone (no gRPC) on a fresh embedded H2 (or BENCH_DB)
# holding HOSTS × OLD reports received 40 days ago, storing RATE reports/s as paced commits do, with the
# controller's purge (--retain-reports 30d: batches of 500, 20 ms apart) started a third of the way in. Prints the
# writer's commit times before, during and after the purge, and how fast it deleted.
#   bench/retention.sh [HOSTS=1000] [OLD=300] [RATE=2000] [SECONDS=60]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VERSION="0.1.0-SNAPSHOT"
(cd "$ROOT" && ./mvnw -q -B -DskipTests -Pbench package)
BENCH_JAR="$ROOT/bench/target/macfleet-bench-$VERSION-all.jar"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$BENCH_JAR" io.macfleet.bench.RetentionLoad "$TMP" \
  "${1:-1000}" "${2:-300}" "${3:-2000}" "${4:-60}"
