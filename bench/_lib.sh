# Shared by the bench/*.sh scripts: loopback ports.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_port PORT [TRIES=100]: until something listens on 127.0.0.1:PORT (0.2 s between tries)
wait_port() {
  local tries="${2:-100}"
  for _ in $(seq 1 "$tries"); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "nothing listening on 127.0.0.1:$1" >&2
  return 1
}

# bench_jars: build the product, simulator and bench jars (the bench profile) and name them:
# AGENT_JAR, CONTROLLER_JAR, SIM_JAR, BENCH_JAR. Needs ROOT.
bench_jars() {
  local version="0.1.0-SNAPSHOT"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests -Pbench package)
  AGENT_JAR="$ROOT/agent/target/macfleet-agent-$version-all.jar"
  CONTROLLER_JAR="$ROOT/controller/target/macfleet-controller-$version-all.jar"
  SIM_JAR="$ROOT/simulator/target/macfleet-ollama-simulator-$version-all.jar"
  BENCH_JAR="$ROOT/bench/target/macfleet-bench-$version-all.jar"
}
