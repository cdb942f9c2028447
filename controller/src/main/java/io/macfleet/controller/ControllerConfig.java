package io.macfleet.controller;

import io.macfleet.controller.fleet.ReportLimits;
import io.macfleet.controller.store.Retention;
import java.nio.file.Path;
import java.util.List;

/**
 * How a controller runs. jdbcUrl null means the embedded H2 file database in the data directory.
 * Port 0 picks a free port (tests, demo).
 */
public record ControllerConfig(
    Path dataDir,
    String listenHost,
    int port,
    boolean insecure,
    List<String> tlsNames,
    String jdbcUrl,
    int maxMessageBytes,
    java.time.Duration runTimeout,
    int sshPort,
    int opsPort,
    String dbUser,
    Path dbPasswordFile,
    java.time.Duration commitGap,
    ReportLimits.Settings limits,
    Retention.Policy retention,
    io.macfleet.controller.ssh.AdminCommands adminCommands) {

  /** The scheduler's instance id: stable across restarts (Quartz's AUTO ids stall triggers after one). */
  public String instanceId() {
    try {
      return "macfleet-" + java.net.InetAddress.getLocalHost().getHostName() + "-" + port;
    } catch (java.io.IOException e) {
      return "macfleet-" + port;
    }
  }

  public static final int DEFAULT_PORT = 7443;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 2 * 1024 * 1024;
  /** The least time between the starts of two report commits (see IngestQueue). */
  public static final java.time.Duration DEFAULT_COMMIT_GAP = java.time.Duration.ofMillis(5);

  public static ControllerConfig defaults(Path dataDir) {
    return new ControllerConfig(
        dataDir,
        "0.0.0.0",
        DEFAULT_PORT,
        false,
        List.of(),
        null,
        DEFAULT_MAX_MESSAGE_BYTES,
        java.time.Duration.ofMinutes(30),
        -1,
        -1,
        null,
        null,
        DEFAULT_COMMIT_GAP,
        ReportLimits.Settings.defaults(),
        Retention.Policy.defaults(),
        null);
  }

  public ControllerConfig withListen(String host, int p) {
    return with(c -> {
      c.listenHost = host;
      c.port = p;
    });
  }

  public ControllerConfig withInsecure(boolean value) {
    return with(c -> {
      c.insecure = value;
    });
  }

  /** How long a pushed probe may go without a result before its run is marked incomplete. */
  public ControllerConfig withRunTimeout(java.time.Duration timeout) {
    return with(c -> {
      c.runTimeout = timeout;
    });
  }

  /**
   * The admin SSH endpoint's port (-1 off, the default; 0 any free port) and what runs its commands (the CLI, from
   * whoever starts the controller).
   */
  public ControllerConfig withSshPort(int port, io.macfleet.controller.ssh.AdminCommands commands) {
    return with(c -> {
      c.sshPort = port;
      c.adminCommands = commands;
    });
  }

  /** The operations port (/metrics, /healthz, /readyz); -1 off (the default here), 0 any free port. */
  public ControllerConfig withOpsPort(int port) {
    return with(c -> {
      c.opsPort = port;
    });
  }

  /**
   * A shared database instead of the embedded one: a JDBC URL without credentials, the user, and a file holding
   * the password (or null: $MACFLEET_DB_PASSWORD) — never the password itself on a command line.
   */
  public ControllerConfig withDatabase(String url, String user, Path passwordFile) {
    return with(c -> {
      c.jdbcUrl = url;
      c.dbUser = user;
      c.dbPasswordFile = passwordFile;
    });
  }

  /** The least time between the starts of two report commits; zero commits whenever a report waits. */
  public ControllerConfig withCommitGap(java.time.Duration gap) {
    return with(c -> {
      c.commitGap = gap;
    });
  }

  public ControllerConfig withTlsNames(List<String> names) {
    return with(c -> {
      c.tlsNames = names;
    });
  }

  /** What one host may send (size, reports and bytes per second). */
  public ControllerConfig withLimits(ReportLimits.Settings l) {
    return with(c -> {
      c.limits = l;
    });
  }

  /** How long reports, samples, events and audit entries are kept. */
  public ControllerConfig withRetention(Retention.Policy r) {
    return with(c -> {
      c.retention = r;
    });
  }

  /** A changed copy: the one place the record's components are listed besides its header. */
  private ControllerConfig with(java.util.function.Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  private static final class Copy {
    Path dataDir;
    String listenHost;
    int port;
    boolean insecure;
    List<String> tlsNames;
    String jdbcUrl;
    int maxMessageBytes;
    java.time.Duration runTimeout;
    int sshPort;
    int opsPort;
    String dbUser;
    Path dbPasswordFile;
    java.time.Duration commitGap;
    ReportLimits.Settings limits;
    Retention.Policy retention;
    io.macfleet.controller.ssh.AdminCommands adminCommands;

    Copy(ControllerConfig o) {
      dataDir = o.dataDir;
      listenHost = o.listenHost;
      port = o.port;
      insecure = o.insecure;
      tlsNames = o.tlsNames;
      jdbcUrl = o.jdbcUrl;
      maxMessageBytes = o.maxMessageBytes;
      runTimeout = o.runTimeout;
      sshPort = o.sshPort;
      opsPort = o.opsPort;
      dbUser = o.dbUser;
      dbPasswordFile = o.dbPasswordFile;
      commitGap = o.commitGap;
      limits = o.limits;
      retention = o.retention;
      adminCommands = o.adminCommands;
    }

    ControllerConfig build() {
      return new ControllerConfig(
          dataDir,
          listenHost,
          port,
          insecure,
          tlsNames,
          jdbcUrl,
          maxMessageBytes,
          runTimeout,
          sshPort,
          opsPort,
          dbUser,
          dbPasswordFile,
          commitGap,
          limits,
          retention,
          adminCommands);
    }
  }
}
