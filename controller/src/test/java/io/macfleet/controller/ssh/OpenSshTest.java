package io.macfleet.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.controller.TestController;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's SSH client against Debian's real OpenSSH sshd, started by the test on a loopback port
 * (.ci/run installs openssh-server): trust records the key sshd really has, commands reach a real shell as
 * quoted words, the check reads a non-Mac correctly, and a regenerated host key is refused.
 */
class OpenSshTest {
  private static final Path SSHD = Path.of("/usr/sbin/sshd");

  @TempDir
  Path tmp;

  private Process sshd;

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(String.join(" ", cmd) + ": " + out).isTrue();
  }

  private void startSshd(Path config, int port) throws Exception {
    sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        assertThat(sshd.isAlive()).as("sshd exited: " + Files.readString(tmp.resolve("sshd.log"))).isTrue();
        Thread.sleep(100);
      }
    }
    throw new AssertionError("sshd did not listen: " + Files.readString(tmp.resolve("sshd.log")));
  }

  private void stopSshd() throws InterruptedException {
    if (sshd != null) {
      sshd.destroy();
      sshd.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void trustCheckQuotingAndAChangedHostKeyAgainstOpenSsh() throws Exception {
    if (!Files.isExecutable(SSHD) && System.getenv("CI") != null) {
      throw new AssertionError("CI must have /usr/sbin/sshd (.ci/run installs openssh-server)");
    }
    Assumptions.assumeTrue(Files.isExecutable(SSHD), "no /usr/sbin/sshd: install Debian's openssh-server");
    String user = System.getProperty("user.name");
    if ("root".equals(user)) {
      Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
    }
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      c.enroll(tmp.resolve("a"), "mac-linux", "U1");
      String controllerKey = c.cli("ssh", "key").out().strip();
      Path keys = tmp.resolve("authorized_keys");
      Files.writeString(keys, controllerKey + "\n");
      Path hostKey = tmp.resolve("host_ecdsa");
      run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", hostKey.toString());
      int port = freePort();
      Path config = tmp.resolve("sshd_config");
      Files.writeString(config, String.join("\n", "Port " + port, "ListenAddress 127.0.0.1",
          "HostKey " + hostKey, "AuthorizedKeysFile " + keys, "PasswordAuthentication no",
          "KbdInteractiveAuthentication no", "PubkeyAuthentication yes", "UsePAM no", "StrictModes no",
          "PidFile " + tmp.resolve("sshd.pid"), "PermitRootLogin prohibit-password", "LogLevel VERBOSE", ""));
      startSshd(config, port);
      try {
        c.cli("hosts", "label", "mac-linux", "ssh.host=127.0.0.1", "ssh.port=" + port, "ssh.user=" + user);
        var trust = c.cli("ssh", "trust", "mac-linux");
        assertThat(trust.code()).as(trust.err()).isZero();
        Process fp = new ProcessBuilder("ssh-keygen", "-l", "-f", hostKey + ".pub").start();
        String real = new String(fp.getInputStream().readAllBytes()).split("\\s+")[1];
        assertThat(trust.out()).contains(real); // the key sshd really holds

        // words reach the remote shell exactly as given, however hostile
        List<String> words = List.of("a b", "$(id)", "`id`", "'quoted'", "; rm -rf /tmp/nope", "*", "\"x\"");
        var target = SshTarget.of("mac-linux", Map.of("ssh.host", "127.0.0.1", "ssh.port", "" + port, "ssh.user", user));
        try (RemoteShell shell = new RemoteShell(ControllerSshKey.loadOrCreate(tmp.resolve("ctl/ssh/id_ecdsa")),
            new KnownHosts(tmp.resolve("ctl/ssh/known_hosts")), Duration.ofSeconds(10));
            RemoteShell.Connection conn = shell.open(target)) {
          List<String> argv = new java.util.ArrayList<>(List.of("/bin/echo"));
          argv.addAll(words);
          RemoteShell.Result echo = conn.run(argv, Duration.ofSeconds(10));
          assertThat(echo.exit()).isZero();
          assertThat(echo.out()).isEqualTo(String.join(" ", words) + "\n");
        }

        // a Linux box is no Mac: no launchctl, no kern.sleeptime — said so, not guessed
        JsonNode check = new ObjectMapper().readTree(c.cli("ssh", "check", "mac-linux", "--json").out());
        assertThat(check.path("state").asText()).isEqualTo("agent_not_installed");
        assertThat(check.path("evidence").toString()).contains("not a Mac", "not readable");
      } finally {
        stopSshd();
      }

      // the host is reinstalled: a new host key is refused until trusted again with --replace
      Files.delete(hostKey);
      Files.delete(Path.of(hostKey + ".pub"));
      run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", hostKey.toString());
      startSshd(config, port);
      try {
        var refused = c.cli("ssh", "check", "mac-linux");
        assertThat(refused.code()).isEqualTo(4);
        assertThat(refused.err()).contains("HOST KEY MISMATCH");
        assertThat(c.cli("ssh", "trust", "mac-linux", "--replace").code()).isZero();
        assertThat(c.cli("ssh", "check", "mac-linux").code()).isZero();
      } finally {
        stopSshd();
      }
    }
  }
}
