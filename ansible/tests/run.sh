#!/usr/bin/env bash
# Checks the Ansible content: syntax, lint, and the rendered controller unit and plist; plus the agent's
# own LaunchDaemon plist (rendered by the agent jar, as the agent role does) through a real plist parser.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$HERE/.."
export ANSIBLE_CONFIG="$PWD/ansible.cfg" ANSIBLE_NOCOLOR=1 ANSIBLE_LOCALHOST_WARNING=False

echo "== ansible-playbook --syntax-check"
ansible-playbook -i inventory.example.yml --syntax-check site.yml
echo "== ansible-lint"
ansible-lint --offline -q site.yml roles/

RENDER_DIR="$(mktemp -d)"; export RENDER_DIR
trap 'rm -rf "$RENDER_DIR"' EXIT
echo "== rendering the controller templates"
ansible-playbook -i localhost, tests/render.yml >/dev/null

python3 - "$RENDER_DIR" <<'PY'
import plistlib, sys, os, configparser
d = sys.argv[1]
with open(os.path.join(d, "io.macfleet.controller.plist"), "rb") as f:
    p = plistlib.load(f)
assert p["Label"] == "io.macfleet.controller", p["Label"]
assert p["RunAtLoad"] is True and p["KeepAlive"] is True and p["ThrottleInterval"] == 30
args = p["ProgramArguments"]
assert args[0].startswith("/") and "serve" in args and args.count("--tls-name") == 2, args
assert args[1:5] == ["-Xmx512m", "-Xms512m", "-XX:MaxTenuringThreshold=1", "-jar"], args
assert p["UserName"] == "macfleet"
unit = configparser.ConfigParser(strict=False, interpolation=None)
unit.optionxform = str
unit.read(os.path.join(d, "macfleet-controller.service"))
svc = unit["Service"]
assert svc["User"] == "macfleet" and svc["Restart"] == "on-failure", dict(svc)
assert svc["ExecStart"].startswith("/usr/bin/java -Xmx512m -Xms512m -XX:MaxTenuringThreshold=1 -jar "), svc["ExecStart"]
assert svc["ExecStart"].startswith("/usr/bin/java ") and "--data-dir /var/lib/macfleet" in svc["ExecStart"], svc["ExecStart"]
assert "--tls-name controller.example.internal --tls-name 10.0.0.5" in svc["ExecStart"], svc["ExecStart"]
assert unit["Install"]["WantedBy"] == "multi-user.target"
print("controller plist and unit: ok")
PY
if command -v systemd-analyze >/dev/null 2>&1; then
  # verify needs the binary to exist; point it at /bin/true-like paths through a copy
  sed -e 's#^ExecStart=[^ ]*#ExecStart=/bin/true#' "$RENDER_DIR/macfleet-controller.service" > "$RENDER_DIR/check.service"
  systemd-analyze verify "$RENDER_DIR/check.service" 2>&1 | grep -v -E "Cannot add dependency job|Failed to load|^$" || true
fi

AGENT_JAR="$ROOT/agent/target/macfleet-agent-0.1.0-SNAPSHOT-all.jar"
if [[ -f "$AGENT_JAR" ]]; then
  echo "== agent LaunchDaemon plist (rendered by the agent, as the role does)"
  java -jar "$AGENT_JAR" launchd-plist --java /usr/bin/java --jar /usr/local/macfleet/macfleet-agent.jar > "$RENDER_DIR/agent.plist"
  python3 -c "import plistlib,sys; p=plistlib.load(open(sys.argv[1],'rb')); assert p['Label']=='io.macfleet.agent' and p['KeepAlive'] and p['ProgramArguments'][0]=='/usr/bin/java'; print('agent plist: ok')" "$RENDER_DIR/agent.plist"
fi
echo "ansible checks passed"
