package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.cli.ExitCodes;
import io.macfleet.controller.security.DataDirectory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dozen mistakes a platform engineer makes on the first day, each run against a real controller: its first
 * line says what went wrong in words a person can act on, the exit code is the README's, and nothing of gRPC,
 * Netty or a Java stack trace reaches the terminal.
 */
class CliMistakesTest {
  @TempDir
  Path tmp;

  /** A mistake: the command line, the exit code, and what the first line of stderr must say. */
  private record Mistake(List<String> args, int exit, String firstLineSays, boolean connect) {
    static Mistake local(int exit, String says, String... args) {
      return new Mistake(List.of(args), exit, says, false);
    }

    static Mistake remote(int exit, String says, String... args) {
      return new Mistake(List.of(args), exit, says, true);
    }
  }

  @Test
  void eachMistakeGetsOneLineToActOnAndTheDocumentedExitCode() throws Exception {
    int idle;
    try (ServerSocket s = new ServerSocket(0)) {
      idle = s.getLocalPort();
    }
    Path emptyCa = Files.writeString(tmp.resolve("empty-ca.pem"), "not a certificate\n");
    try (TestController c = new TestController(tmp.resolve("ctl"));
        ServerSocket busy = new ServerSocket(0)) {
      c.enroll(tmp.resolve("a"), "mac-a", "UUID-A");
      String token = DataDirectory.adminToken(c.dataDir).toString();
      List<Mistake> mistakes = List.of(
          Mistake.local(
              ExitCodes.USAGE, "error: Unknown option: '--frobnicate'", "hosts", "--frobnicate"),
          Mistake.local(
              ExitCodes.USAGE, "error: Missing required option: '--model=NAME'", "replay", "mac-a"),
          Mistake.local(ExitCodes.USAGE, "error: Unmatched argument at index 0: 'hostz'", "hostz"),
          Mistake.local(
              ExitCodes.USAGE,
              "--limit must be 1 to 100000, got 0",
              "hosts",
              "--limit",
              "0",
              "--controller",
              c.target(),
              "--data-dir",
              c.dataDir.toString()),
          Mistake.remote(
              ExitCodes.USAGE,
              "--since takes a duration like 90m, 24h, 7d",
              "events",
              "--since",
              "yesterday"),
          Mistake.remote(
              ExitCodes.USAGE,
              "is not an Ollama model name",
              "replay",
              "mac-a",
              "--model",
              "qwen3;rm -rf"),
          Mistake.remote(
              ExitCodes.USAGE,
              "--concurrency levels must be 1 to 64",
              "replay",
              "mac-a",
              "--model",
              "m:1",
              "--concurrency",
              "0"),
          Mistake.remote(
              ExitCodes.USAGE,
              "too few for a verdict",
              "replay",
              "mac-a",
              "--model",
              "m:1",
              "--samples",
              "10"),
          Mistake.remote(ExitCodes.NOT_FOUND, "no host", "host", "mac-nosuch"),
          Mistake.remote(
              ExitCodes.NOT_FOUND,
              "no host",
              "gate",
              "--model",
              "m:1",
              "--baseline",
              "mac-a",
              "--candidate",
              "mac-nosuch"),
          Mistake.local(
              ExitCodes.USAGE,
              "controller address must be HOST:PORT",
              "hosts",
              "--controller",
              "no-port-here"),
          Mistake.local(
              ExitCodes.UNREACHABLE,
              "host name nosuchhost.invalid does not resolve",
              "hosts",
              "--controller",
              "nosuchhost.invalid:7443",
              "--token-file",
              token,
              "--data-dir",
              c.dataDir.toString()),
          Mistake.local(
              ExitCodes.UNREACHABLE,
              "nothing answers at 127.0.0.1:" + idle,
              "hosts",
              "--controller",
              "127.0.0.1:" + idle,
              "--token-file",
              token,
              "--data-dir",
              c.dataDir.toString()),
          Mistake.local(
              ExitCodes.ERROR,
              emptyCa + " holds no certificate",
              "hosts",
              "--controller",
              c.target(),
              "--token-file",
              token,
              "--ca-file",
              emptyCa.toString()),
          Mistake.local(
              ExitCodes.AUTH,
              "admin token",
              "hosts",
              "--controller",
              c.target(),
              "--token-file",
              Files.writeString(tmp.resolve("wrong-token"), "mfa_wrong\n").toString(),
              "--data-dir",
              c.dataDir.toString()),
          Mistake.local(
              ExitCodes.USAGE,
              "does not exist; create it first",
              "report",
              "--model",
              "m:1",
              "--html",
              tmp.resolve("no/such/dir/report.html").toString(),
              "--controller",
              c.target(),
              "--data-dir",
              c.dataDir.toString()),
          Mistake.local(
              ExitCodes.ERROR,
              "port " + busy.getLocalPort() + " on 127.0.0.1 is already in use",
              "serve",
              "--listen",
              "127.0.0.1:" + busy.getLocalPort(),
              "--data-dir",
              tmp.resolve("never-made").toString(),
              "--metrics-port",
              "-1"));
      Files.setPosixFilePermissions(
          tmp.resolve("wrong-token"),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      List<String> wrong = new ArrayList<>();
      for (Mistake m : mistakes) {
        TestController.CliResult r = m.connect()
            ? c.cli(m.args().toArray(new String[0]))
            : TestController.cliRaw(m.args().toArray(new String[0]));
        String first = r.err().lines().findFirst().orElse("");
        String said =
            String.join(" ", m.args()) + " -> exit " + r.code() + ": " + r.err().strip();
        if (r.code() != m.exit()
            || !first.startsWith("error: ")
            || !first.contains(m.firstLineSays())) {
          wrong.add(said);
        }
        assertThat(r.err())
            .as(said)
            .doesNotContain(
                "io.grpc",
                "netty",
                "Exception",
                "\tat ",
                "UNAVAILABLE",
                "PERMISSION_DENIED",
                "UNAUTHENTICATED",
                "ALREADY_EXISTS",
                "NOT_FOUND",
                "INVALID_ARGUMENT");
        assertThat(r.err().lines().count())
            .as("a mistake is a few lines, not the help: " + said)
            .isLessThanOrEqualTo(3);
      }
      assertThat(wrong).as("first line or exit code not as documented").isEmpty();
      assertThat(tmp.resolve("never-made"))
          .as("serve checks its ports before it makes anything")
          .doesNotExist();
    }
  }
}
