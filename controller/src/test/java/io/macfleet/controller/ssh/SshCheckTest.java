package io.macfleet.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.TestController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ssh trust and ssh check against an embedded MINA SSHD server playing a Mac (real launchctl output from the
 * fixtures): asleep, agent down, Ollama down and up are told apart, a changed host key is refused, and every
 * operation is audited.
 */
class SshCheckTest {
  private static final String MODEL_FIXTURE =
      "launchctl-print-system.wazuh-packages-2206-mojave.TRUNCATED.TABS-AS-SPACES.txt";

  @TempDir
  Path tmp;

  static PublicKey controllerKey(TestController c) throws Exception {
    String line = c.cli("ssh", "key").out().strip();
    assertThat(line).startsWith("ecdsa-sha2-nistp256 ").endsWith("macfleet-controller");
    return PublicKeyEntry.parsePublicKeyEntry(line)
        .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
  }

  private static void macAnswers(
      FakeMac mac, long sleptAgoSeconds, long wokeAgoSeconds, String agentState, boolean ollamaUp)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    mac.answer(
        AgentlessCheck.SLEEP,
        0,
        "kern.sleeptime: { sec = " + (now - sleptAgoSeconds) + ", usec = 0 } Sat Nov 21\n"
            + "kern.waketime: { sec = " + (now - wokeAgoSeconds) + ", usec = 0 } Sat Nov 21\n");
    // a real `launchctl print system/<label>` capture, relabelled, with the state the test wants
    String launchctl = FakeMac.fixture(MODEL_FIXTURE)
        .replace("com.wazuh.agent", AgentlessCheck.LABEL)
        .replace("state = running", "state = " + agentState);
    mac.answer(
        AgentlessCheck.AGENT,
        agentState.equals("missing") ? 113 : 0,
        agentState.equals("missing")
            ? "Bad request.\nCould not find service \"io.macfleet.agent\" in domain for system\n"
            : launchctl);
    mac.answer(AgentlessCheck.OLLAMA, ollamaUp ? 0 : 7, ollamaUp ? "{\"version\":\"0.19.0\"}" : "");
  }

  @Test
  void trustThenTellAsleepFromAgentDownFromOllamaDown() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-a", "U1");
      PublicKey key = controllerKey(c);
      int macPort;
      try (FakeMac mac = new FakeMac(tmp.resolve("mac-host-key"), key)) {
        macPort = mac.port();
        assertThat(c.cli("hosts", "label", "mac-a", "ssh.host=127.0.0.1", "ssh.port=" + mac.port())
                .code())
            .isZero();

        var untrusted = c.cli("ssh", "check", "mac-a");
        assertThat(untrusted.code()).isEqualTo(2);
        assertThat(untrusted.err()).contains("not in", "known_hosts", "macfleet ssh trust mac-a");
        assertThat(mac.received).isEmpty(); // nothing was sent to a host we do not know

        var trust = c.cli("ssh", "trust", "mac-a");
        assertThat(trust.code()).as(trust.err()).isZero();
        assertThat(trust.out()).contains("trusted [127.0.0.1]:" + mac.port(), "SHA256:");
        assertThat(c.cli("ssh", "trust", "mac-a").out()).contains("already trusted");

        macAnswers(mac, 3600, 3600, "running", true);
        var up = c.cli("ssh", "check", "mac-a", "--json");
        assertThat(new ObjectMapper().readTree(up.out()).path("state").asText()).isEqualTo("up");
        // the commands went out as quoted argument lists, by absolute path
        assertThat(mac.received).contains("'/bin/launchctl' 'print' 'system/io.macfleet.agent'");

        macAnswers(mac, 3600, 3600, "not running", true);
        assertThat(c.cli("ssh", "check", "mac-a").out())
            .contains("agent down", "state = not running");
        macAnswers(mac, 3600, 3600, "missing", true);
        assertThat(c.cli("ssh", "check", "mac-a").out())
            .contains("agent not installed", "is not loaded");
        macAnswers(mac, 3600, 3600, "running", false);
        assertThat(c.cli("ssh", "check", "mac-a").out())
            .contains("ollama down", "connection refused");
        // it slept after the agent's last report (enrolment, never reported) and this check woke it
        macAnswers(mac, 600, 20, "running", true);
        assertThat(c.cli("ssh", "check", "mac-a").out()).contains("asleep");
        assertThat(c.cli("hosts").out()).contains("offline", "mac-a  NOTES: asleep");
      }

      // another machine answers at the Mac's address with another host key: refused, loudly, and
      // the
      // recorded key is not replaced without --replace
      Path knownHosts = tmp.resolve("ctl/ssh/known_hosts");
      String trusted = Files.readString(knownHosts);
      try (FakeMac impostor = new FakeMac(tmp.resolve("impostor-key"), key)) {
        c.cli("hosts", "label", "mac-a", "ssh.port=" + impostor.port());
        Files.writeString(
            knownHosts,
            trusted.replace(
                "[127.0.0.1]:" + macPort + " ", "[127.0.0.1]:" + impostor.port() + " "));
        var mismatch = c.cli("ssh", "check", "mac-a");
        assertThat(mismatch.code()).isEqualTo(4);
        assertThat(mismatch.err()).contains("HOST KEY MISMATCH", "Refusing to connect");
        assertThat(impostor.received).isEmpty();
        var noReplace = c.cli("ssh", "trust", "mac-a");
        assertThat(noReplace.code()).isNotZero();
        assertThat(noReplace.err()).contains("HOST KEY CHANGED", "--replace");
        assertThat(c.cli("ssh", "trust", "mac-a", "--replace").out()).contains("replaced SHA256:");
      }

      JsonNode audit = new ObjectMapper()
          .readTree(c.cli("audit", "--json", "--host", "mac-a").out());
      assertThat(audit)
          .extracting(e -> e.path("action").asText())
          .contains("ssh.trust", "ssh.check");
      assertThat(audit)
          .anyMatch(e -> e.path("action").asText().equals("ssh.check")
              && e.path("exit_code").asInt() == 4);
    }
  }

  @Test
  void classificationFromOutputsAlone() {
    Instant now = Instant.parse("2026-11-22T10:00:00Z");
    RemoteShell.Result sysctl = new RemoteShell.Result(
        0,
        "kern.sleeptime: { sec = " + (now.getEpochSecond() - 900)
            + ", usec = 1 } x\nkern.waketime: { sec = " + (now.getEpochSecond() - 30)
            + ", usec = 2 } y\n",
        "",
        false);
    RemoteShell.Result running =
        new RemoteShell.Result(0, "x = {\n\tstate = running\n}\n", "", false);
    RemoteShell.Result ollama = new RemoteShell.Result(0, "{\"version\":\"0.19.0\"}", "", false);
    // silent since before it slept: asleep; reported after its last wake: not asleep
    assertThat(AgentlessCheck.classify(now, now.minusSeconds(1200), sysctl, running, ollama)
            .state())
        .isEqualTo(AgentlessCheck.State.ASLEEP);
    assertThat(AgentlessCheck.classify(now, now.minusSeconds(10), sysctl, running, ollama)
            .state())
        .isEqualTo(AgentlessCheck.State.UP);
    RemoteShell.Result garbage = new RemoteShell.Result(0, "\u0000\u0001 not sysctl", "", false);
    RemoteShell.Result noLaunchctl =
        new RemoteShell.Result(127, "", "sh: 1: /bin/launchctl: not found", false);
    var linux = AgentlessCheck.classify(now, null, garbage, noLaunchctl, ollama);
    assertThat(linux.state()).isEqualTo(AgentlessCheck.State.AGENT_NOT_INSTALLED);
    assertThat(linux.evidence()).anyMatch(e -> e.contains("not a Mac"));
    assertThat(List.of(linux.summary())).allMatch(s -> !s.isBlank());
  }
}
