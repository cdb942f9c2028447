package io.macfleet.controller.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's admin SSH endpoint, in the spirit of Gerrit's: `ssh -p 2222 admin@controller hosts --json`
 * runs the same `macfleet` commands as the local CLI. Keys only (DATA/ssh/authorized_keys), no password, no
 * shell, no port forwarding; a persistent host key (DATA/ssh/host_key) so clients can pin it.
 */
public final class AdminSshServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminSshServer.class);
  private final SshServer sshd;
  private final AuthorizedKeysAuthenticator keys;
  private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "admin-ssh");
    t.setDaemon(true);
    return t;
  });

  private AdminSshServer(SshServer sshd, AuthorizedKeysAuthenticator keys) {
    this.sshd = sshd;
    this.keys = keys;
  }

  /** connection: the CLI options that reach this controller (--controller, --data-dir). */
  public static AdminSshServer start(
      String host,
      int port,
      Path sshDir,
      List<String> connection,
      io.macfleet.controller.fleet.AuditLog audit,
      String endpointToken,
      AdminCommands commands)
      throws IOException {
    Files.createDirectories(sshDir);
    // the key is generated on first start; write it 0600 from the outset rather than fix it up
    // afterwards
    Path hostKey = sshDir.resolve("host_key");
    SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider(hostKey);
    hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    hostKeys.setKeySize(256);
    AuthorizedKeysAuthenticator keys =
        new AuthorizedKeysAuthenticator(sshDir.resolve("authorized_keys"));
    SshServer sshd = SshServer.setUpDefaultServer();
    AdminSshServer server = new AdminSshServer(sshd, keys);
    sshd.setHost(host);
    sshd.setPort(port);
    sshd.setKeyPairProvider(hostKeys);
    sshd.setPublickeyAuthenticator(keys);
    sshd.setPasswordAuthenticator(null);
    sshd.setKeyboardInteractiveAuthenticator(null);
    sshd.setGSSAuthenticator(null);
    sshd.setShellFactory(null);
    sshd.setForwardingFilter(org.apache.sshd.server.forward.RejectAllForwardingFilter.INSTANCE);
    sshd.setCommandFactory((channel, command) ->
        new AdminSshCommand(command, connection, server.workers, audit, endpointToken, commands));
    sshd.start();
    if (Files.exists(hostKey)) { // the host key is a secret: owner only, like ssh's own
      Files.setPosixFilePermissions(
          hostKey, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    log.info(
        "admin SSH endpoint on {}:{} (keys in {})",
        host,
        sshd.getPort(),
        sshDir.resolve("authorized_keys"));
    return server;
  }

  public int port() {
    return sshd.getPort();
  }

  public long authFailures() {
    return keys.failures();
  }

  @Override
  public void close() {
    try {
      sshd.stop(true);
    } catch (IOException e) {
      log.debug("stopping the admin SSH endpoint: {}", e.getMessage());
    }
    workers.shutdownNow();
  }
}
