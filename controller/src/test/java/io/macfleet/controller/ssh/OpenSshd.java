package io.macfleet.controller.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's OpenSSH sshd, run by a test as the current user on a loopback port with its own host key and
 * authorized_keys (.ci/run installs openssh-server; in CI a missing sshd fails the test instead of skipping).
 */
final class OpenSshd implements AutoCloseable {
  static final Path SSHD = Path.of("/usr/sbin/sshd");

  final Path dir;
  final Path hostKey;
  final int port;
  private final Path config;
  private Process process;

  static void requireInstalled() {
    if (!Files.isExecutable(SSHD) && System.getenv("CI") != null) {
      throw new AssertionError("CI must have /usr/sbin/sshd (.ci/run installs openssh-server)");
    }
    Assumptions.assumeTrue(
        Files.isExecutable(SSHD), "no /usr/sbin/sshd: install Debian's openssh-server");
  }

  OpenSshd(Path dir, String authorizedKeyLine) throws Exception {
    requireInstalled();
    this.dir = dir;
    Files.createDirectories(dir);
    if ("root".equals(System.getProperty("user.name"))) {
      Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
    }
    Path keys = dir.resolve("authorized_keys");
    Files.writeString(keys, authorizedKeyLine + "\n");
    hostKey = dir.resolve("host_ecdsa");
    newHostKey();
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    config = dir.resolve("sshd_config");
    Files.writeString(
        config,
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + hostKey,
            "AuthorizedKeysFile " + keys,
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "UsePAM no",
            "StrictModes no",
            "PidFile " + dir.resolve("sshd.pid"),
            "PermitRootLogin prohibit-password",
            "LogLevel VERBOSE",
            ""));
    start();
  }

  void newHostKey() throws Exception {
    Files.deleteIfExists(hostKey);
    Files.deleteIfExists(Path.of(hostKey + ".pub"));
    run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", hostKey.toString());
  }

  String fingerprint() throws Exception {
    Process fp = new ProcessBuilder("ssh-keygen", "-l", "-f", hostKey + ".pub").start();
    return new String(fp.getInputStream().readAllBytes()).split("\\s+")[1];
  }

  void start() throws Exception {
    Path log = dir.resolve("sshd.log");
    process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new AssertionError("sshd exited: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
    throw new AssertionError("sshd did not listen: " + Files.readString(log));
  }

  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + ": " + out);
    }
  }
}
