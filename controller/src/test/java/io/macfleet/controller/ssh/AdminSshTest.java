package io.macfleet.controller.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.macfleet.controller.ControllerConfig;
import io.macfleet.controller.ControllerServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin SSH endpoint against a real MINA client: keys only, the CLI's commands, nothing else. */
class AdminSshTest {
  @TempDir
  Path tmp;

  record Result(int code, String out, String err) {}

  static KeyPair keyPair() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static Result exec(int port, KeyPair key, String command) throws Exception {
    SshClient client = SshClient.setUpDefaultClient();
    client.setServerKeyVerifier(
        (session, addr, serverKey) -> true); // the test's own server on loopback
    client.start();
    try (ClientSession s = client
        .connect("admin", "127.0.0.1", port)
        .verify(Duration.ofSeconds(10))
        .getSession()) {
      s.addPublicKeyIdentity(key);
      s.auth().verify(Duration.ofSeconds(10));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (ChannelExec ch = s.createExecChannel(command)) {
        ch.setOut(out);
        ch.setErr(err);
        ch.open().verify(Duration.ofSeconds(10));
        ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(60));
        Integer code = ch.getExitStatus();
        return new Result(
            code == null ? -1 : code,
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8));
      }
    } finally {
      client.stop();
    }
  }

  @Test
  void keyHoldersRunCliCommandsAndNothingElse() throws Exception {
    Path data = tmp.resolve("ctl");
    KeyPair alice = keyPair();
    Files.createDirectories(data.resolve("ssh"));
    Files.writeString(
        data.resolve("ssh/authorized_keys"),
        "# the platform team\n" + PublicKeyEntry.toString(alice.getPublic()) + " alice@laptop\n");
    try (ControllerServer c = ControllerServer.start(ControllerConfig.defaults(data)
        .withListen("127.0.0.1", 0)
        .withSshPort(0, io.macfleet.controller.cli.MacfleetMain::overSsh))) {
      int port = c.ssh().orElseThrow().port();

      Result hosts = exec(port, alice, "hosts --json");
      assertThat(hosts.code()).as(hosts.err()).isZero();
      JsonNode listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(hosts.out());
      assertThat(listed.isArray()).as(hosts.out()).isTrue();
      assertThat(listed).isEmpty();

      Result label = exec(
          port, alice, "schedule add 'nightly run' --cron '0 0 3 * * ?' --hosts all --model m:1");
      assertThat(label.code())
          .isEqualTo(2); // a schedule name with a space: quoted as one word, then refused
      assertThat(label.err()).contains("nightly run");

      Result added =
          exec(port, alice, "schedule add nightly --cron \"0 0 3 * * ?\" --hosts all --model m:1");
      assertThat(added.code()).as(added.err()).isZero();
      Result audit = exec(port, alice, "audit --json");
      assertThat(audit.out())
          .contains("schedule.add", "ssh:alice@laptop (SHA256:")
          .contains(" via ssh");

      // the controller's files and connection are not the caller's to choose, and there is no shell
      Result files = exec(port, alice, "hosts --data-dir /etc");
      assertThat(files.code()).isEqualTo(2);
      assertThat(files.err()).contains("--data-dir is not available over SSH");
      Result serve = exec(port, alice, "serve --listen 0.0.0.0:9999");
      assertThat(serve.err()).contains("'serve' is not available over SSH");
      Result sneaky = exec(port, alice, "hosts; cat /etc/passwd");
      assertThat(sneaky.code()).isNotZero();
      assertThat(sneaky.out()).doesNotContain("root:");
      assertThat(exec(port, alice, "analyze --input /etc/passwd").err())
          .contains("not available over SSH");
      assertThat(exec(port, alice, "help").out()).contains("Usage: macfleet");

      // "@FILE" would make picocli read arguments from any file the controller can read: its CA
      // key, its secrets
      for (String file : List.of(
          data.resolve("tls/ca.key").toString(),
          data.resolve("admin-token").toString(),
          data.resolve("enrollment-secret").toString(),
          "/proc/self/environ")) {
        Result at = exec(port, alice, "hosts @" + file);
        assertThat(at.code()).isEqualTo(2);
        assertThat(at.err()).contains("arguments starting with @ are not available over SSH");
        assertThat(at.out() + at.err())
            .doesNotContain("PRIVATE KEY")
            .doesNotContain(Files.readString(data.resolve("admin-token")).strip());
      }
      Result quoted = exec(port, alice, "hosts --since '@" + data.resolve("tls/ca.key") + "'");
      assertThat(quoted.code()).isEqualTo(2);
      assertThat(quoted.out() + quoted.err()).doesNotContain("PRIVATE KEY");
      // each refusal is in the audit log, with what was asked
      assertThat(exec(port, alice, "audit --json").out()).contains("ssh.refused", "hosts @");

      // a key not in authorized_keys is refused and counted
      long before = c.ssh().orElseThrow().authFailures();
      assertThatThrownBy(() -> exec(port, keyPair(), "hosts")).hasMessageContaining("auth");
      assertThat(c.ssh().orElseThrow().authFailures()).isGreaterThan(before);
    }
  }

  @Test
  void wordsSplitLikeAShellWithoutOne() {
    assertThat(CommandLineWords.split("hosts label mac-a 'role=control' \"rack=a b\" x\\ y"))
        .containsExactly("hosts", "label", "mac-a", "role=control", "rack=a b", "x y");
    assertThat(CommandLineWords.split("hosts; rm -rf / $(id) `id`"))
        .containsExactly("hosts;", "rm", "-rf", "/", "$(id)", "`id`");
    assertThat(CommandLineWords.split("  ")).isEmpty();
    assertThatThrownBy(() -> CommandLineWords.split("hosts 'open"))
        .hasMessageContaining("unterminated single");
    assertThat(AdminSshPolicy.refusal(List.of("hosts;"))).contains("not available");
    assertThat(AdminSshPolicy.refusal(List.of("hosts", "--controller=evil:1")))
        .contains("--controller");
    assertThat(AdminSshPolicy.refusal(List.of("hosts", "--json"))).isNull();
  }
}
