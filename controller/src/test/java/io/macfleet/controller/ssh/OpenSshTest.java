package io.macfleet.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.TestController;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's SSH client against Debian's real OpenSSH sshd on a loopback port: trust records the key sshd
 * really has, commands reach a real shell as quoted words, the check reads a non-Mac correctly, and a
 * regenerated host key is refused.
 */
class OpenSshTest {
  @TempDir
  Path tmp;

  @Test
  void trustCheckQuotingAndAChangedHostKeyAgainstOpenSsh() throws Exception {
    OpenSshd.requireInstalled();
    String user = System.getProperty("user.name");
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-linux", "U1");
      try (OpenSshd sshd =
          new OpenSshd(tmp.resolve("sshd"), c.cli("ssh", "key").out().strip())) {
        c.cli(
            "hosts",
            "label",
            "mac-linux",
            "ssh.host=127.0.0.1",
            "ssh.port=" + sshd.port,
            "ssh.user=" + user);
        var trust = c.cli("ssh", "trust", "mac-linux");
        assertThat(trust.code()).as(trust.err()).isZero();
        assertThat(trust.out()).contains(sshd.fingerprint()); // the key sshd really holds

        // words reach the remote shell exactly as given, however hostile
        List<String> words =
            List.of("a b", "$(id)", "`id`", "'quoted'", "; rm -rf /tmp/nope", "*", "\"x\"");
        var target = SshTarget.of(
            "mac-linux",
            Map.of("ssh.host", "127.0.0.1", "ssh.port", "" + sshd.port, "ssh.user", user));
        RemoteShell shell = new RemoteShell(
            ControllerSshKey.loadOrCreate(tmp.resolve("ctl/ssh/id_ecdsa")),
            new KnownHosts(tmp.resolve("ctl/ssh/known_hosts")),
            Duration.ofSeconds(10));
        try (RemoteShell.Connection conn = shell.open(target)) {
          List<String> argv = new ArrayList<>(List.of("/bin/echo"));
          argv.addAll(words);
          RemoteShell.Result echo = conn.run(argv, Duration.ofSeconds(10));
          assertThat(echo.exit()).isZero();
          assertThat(echo.out()).isEqualTo(String.join(" ", words) + "\n");
        }

        // a Linux box is no Mac: no launchctl, no kern.sleeptime — said so, not guessed
        JsonNode check = new ObjectMapper()
            .readTree(c.cli("ssh", "check", "mac-linux", "--json").out());
        assertThat(check.path("state").asText()).isEqualTo("agent_not_installed");
        assertThat(check.path("evidence").toString()).contains("not a Mac", "not readable");

        // the host is reinstalled: a new host key is refused until trusted again with --replace
        sshd.stop();
        sshd.newHostKey();
        sshd.start();
        var refused = c.cli("ssh", "check", "mac-linux");
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.err()).contains("HOST KEY MISMATCH");
        assertThat(c.cli("ssh", "trust", "mac-linux", "--replace").code()).isZero();
        assertThat(c.cli("ssh", "check", "mac-linux").code()).isZero();
      }
    }
  }
}
