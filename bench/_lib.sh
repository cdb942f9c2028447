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
