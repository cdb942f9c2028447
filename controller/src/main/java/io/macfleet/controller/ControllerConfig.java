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
    return new ControllerConfig(
        dataDir,
        host,
        p,
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

  public ControllerConfig withInsecure(boolean value) {
    return new ControllerConfig(
        dataDir,
        listenHost,
        port,
        value,
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

  /** How long a pushed probe may go without a result before its run is marked incomplete. */
  public ControllerConfig withRunTimeout(java.time.Duration timeout) {
    return new ControllerConfig(
        dataDir,
        listenHost,
        port,
        insecure,
        tlsNames,
        jdbcUrl,
        maxMessageBytes,
        timeout,
        sshPort,
        opsPort,
        dbUser,
        dbPasswordFile,
        commitGap,
        limits,
        retention,
        adminCommands);
  }

  /**
   * The admin SSH endpoint's port (-1 off, the default; 0 any free port) and what runs its commands (the CLI, from
   * whoever starts the controller).
   */
  public ControllerConfig withSshPort(int port, io.macfleet.controller.ssh.AdminCommands commands) {
    return new ControllerConfig(
        dataDir,
        listenHost,
        this.port,
        insecure,
        tlsNames,
        jdbcUrl,
        maxMessageBytes,
        runTimeout,
        port,
        opsPort,
        dbUser,
        dbPasswordFile,
        commitGap,
        limits,
        retention,
        commands);
  }

  /** The operations port (/metrics, /healthz, /readyz); -1 off (the default here), 0 any free port. */
  public ControllerConfig withOpsPort(int port) {
    return new ControllerConfig(
        dataDir,
        listenHost,
        this.port,
        insecure,
        tlsNames,
        jdbcUrl,
        maxMessageBytes,
        runTimeout,
        sshPort,
        port,
        dbUser,
        dbPasswordFile,
        commitGap,
        limits,
        retention,
        adminCommands);
  }

  /**
   * A shared database instead of the embedded one: a JDBC URL without credentials, the user, and a file holding
   * the password (or null: $MACFLEET_DB_PASSWORD) — never the password itself on a command line.
   */
  public ControllerConfig withDatabase(String url, String user, Path passwordFile) {
    return new ControllerConfig(
        dataDir,
        listenHost,
        port,
        insecure,
        tlsNames,
        url,
        maxMessageBytes,
        runTimeout,
        sshPort,
        opsPort,
        user,
        passwordFile,
        commitGap,
        limits,
        retention,
        adminCommands);
  }

  /** The least time between the starts of two report commits; zero commits whenever a report waits. */
  public ControllerConfig withCommitGap(java.time.Duration gap) {
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
        gap,
        limits,
        retention,
        adminCommands);
  }

  public ControllerConfig withTlsNames(List<String> names) {
    return new ControllerConfig(
        dataDir,
        listenHost,
        port,
        insecure,
        names,
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

  /** What one host may send (size, reports and bytes per second). */
  public ControllerConfig withLimits(ReportLimits.Settings l) {
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
        l,
        retention,
        adminCommands);
  }

  /** How long reports, samples, events and audit entries are kept. */
  public ControllerConfig withRetention(Retention.Policy r) {
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
        r,
        adminCommands);
  }
}
