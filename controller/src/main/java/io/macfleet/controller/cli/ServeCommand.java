package io.macfleet.controller.cli;

import io.macfleet.controller.ControllerConfig;
import io.macfleet.controller.ControllerServer;
import io.macfleet.controller.fleet.ReportLimits;
import io.macfleet.controller.security.DataDirectory;
import io.macfleet.controller.store.Retention;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the controller: gRPC for agents and the CLI, embedded H2 in the data directory.")
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory (default: $MACFLEET_HOME or ~/.macfleet).")
  Path dataDir;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:" + ControllerConfig.DEFAULT_PORT,
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--insecure",
      description = "Serve plaintext gRPC; refused unless --listen is a loopback address.")
  boolean insecure;

  @Option(
      names = "--tls-name",
      paramLabel = "NAME",
      description =
          "Extra DNS name or IP for the server certificate (repeatable), e.g. the name agents dial.")
  List<String> tlsNames = List.of();

  @Option(
      names = "--ssh-port",
      paramLabel = "PORT",
      defaultValue = "-1",
      description = "Also serve the admin SSH "
          + "endpoint on this port (e.g. 2222): `ssh -p 2222 admin@controller hosts --json`, keys from "
          + "DATA-DIR/ssh/authorized_keys, no shell. Off by default.")
  int sshPort;

  @Option(
      names = "--db",
      paramLabel = "URL",
      description =
          "A shared PostgreSQL database instead of the embedded "
              + "H2: postgresql://HOST[:PORT]/DATABASE. Several controllers may serve one fleet from it. No credentials in "
              + "the URL: --db-user (or $MACFLEET_DB_USER) and --db-password-file (or $MACFLEET_DB_PASSWORD).")
  String db;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "Database user (default: $MACFLEET_DB_USER or " + "macfleet).")
  String dbUser;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description = "File holding the database password.")
  java.nio.file.Path dbPasswordFile;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      defaultValue = "9464",
      description = "HTTP port for "
          + "GET /metrics (Prometheus), /healthz and /readyz, on the --listen address (default: ${DEFAULT-VALUE}; "
          + "-1 turns it off).")
  int metricsPort;

  @Option(
      names = "--run-timeout",
      paramLabel = "DURATION",
      defaultValue = "30m",
      description =
          "A pushed probe with no result after this long is marked incomplete (default: ${DEFAULT-VALUE}; "
              + "a bare number is minutes).")
  String runTimeout;

  @Option(
      names = "--commit-gap",
      paramLabel = "DURATION",
      defaultValue = "5ms",
      description = "Least time between "
          + "the starts of two report commits, so that reports arriving together share a commit (default: "
          + "${DEFAULT-VALUE}; 0ms commits whenever a report waits; a bare number is milliseconds). A report waits at "
          + "most this much longer, and only under load.")
  String commitGap;

  @Option(
      names = "--max-report-size",
      paramLabel = "SIZE",
      defaultValue = "256KiB",
      description = "Largest report "
          + "a host may send; a larger one is refused as malformed (default: ${DEFAULT-VALUE}).")
  String maxReportSize;

  @Option(
      names = "--host-report-rate",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "Reports per second "
              + "one host may send, sustained; it may send 100 times that at once after a quiet spell (default: "
              + "${DEFAULT-VALUE}). A host over it is told to slow down; its agent keeps the reports and retries.")
  double hostReportRate;

  @Option(
      names = "--host-byte-rate",
      paramLabel = "SIZE",
      defaultValue = "16KiB",
      description =
          "Report bytes per "
              + "second one host may send, sustained, with 1024 times that at once (default: ${DEFAULT-VALUE}).")
  String hostByteRate;

  @Option(
      names = "--retain-reports",
      paramLabel = "DURATION",
      defaultValue = "30d",
      description =
          "Delete reports "
              + "older than this, except each host's newest (default: ${DEFAULT-VALUE}; 'forever' keeps them).")
  String retainReports;

  @Option(
      names = "--retain-samples",
      paramLabel = "DURATION",
      defaultValue = "180d",
      description = "Delete the "
          + "per-request samples of runs older than this, except baseline runs'; the runs' summaries and verdicts stay "
          + "(default: ${DEFAULT-VALUE}).")
  String retainSamples;

  @Option(
      names = "--retain-events",
      paramLabel = "DURATION",
      defaultValue = "180d",
      description = "Delete host " + "events older than this (default: ${DEFAULT-VALUE}).")
  String retainEvents;

  @Option(
      names = "--retain-audit",
      paramLabel = "DURATION",
      defaultValue = "400d",
      description = "Delete audit "
          + "entries older than this (default: ${DEFAULT-VALUE}; 'forever' keeps them).")
  String retainAudit;

  @Override
  public Integer call() throws Exception {
    java.time.Duration timeout = DurationArg.parse("--run-timeout", runTimeout, "m");
    if (timeout.compareTo(java.time.Duration.ofMinutes(1)) < 0) {
      throw new CliException(
          ExitCodes.USAGE, "--run-timeout must be at least 1m, got " + runTimeout);
    }
    java.time.Duration gap = DurationArg.parse("--commit-gap", commitGap, "ms");
    if (gap.toMillis() > 1000) {
      throw new CliException(ExitCodes.USAGE, "--commit-gap must be 0ms to 1s, got " + commitGap);
    }
    long maxReport = SizeArg.parse("--max-report-size", maxReportSize);
    long byteRate = SizeArg.parse("--host-byte-rate", hostByteRate);
    if (maxReport < 1024 || maxReport > ControllerConfig.DEFAULT_MAX_MESSAGE_BYTES) {
      throw new CliException(
          ExitCodes.USAGE, "--max-report-size must be 1KiB to 2MiB, got " + maxReportSize);
    }
    if (!(hostReportRate > 0) || byteRate < 1) {
      throw new CliException(
          ExitCodes.USAGE, "--host-report-rate and --host-byte-rate must be above zero");
    }
    var limits = new ReportLimits.Settings(
        (int) maxReport, hostReportRate, hostReportRate * 100, byteRate, byteRate * 1024.0);
    var retention = new Retention.Policy(
        DurationArg.retention("--retain-reports", retainReports),
        DurationArg.retention("--retain-samples", retainSamples),
        DurationArg.retention("--retain-events", retainEvents),
        DurationArg.retention("--retain-audit", retainAudit));
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new CliException(ExitCodes.USAGE, "--listen must be HOST:PORT, got: " + listen);
    }
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new CliException(ExitCodes.USAGE, "--listen port is not a number: " + listen);
    }
    Path dir = DataDirectory.resolve(dataDir);
    ControllerConfig cfg = ControllerConfig.defaults(dir)
        .withListen(host, port)
        .withInsecure(insecure)
        .withTlsNames(tlsNames)
        .withRunTimeout(timeout)
        .withSshPort(sshPort, MacfleetMain::overSsh)
        .withOpsPort(metricsPort)
        .withCommitGap(gap)
        .withLimits(limits)
        .withRetention(retention);
    if (db != null) {
      cfg = cfg.withDatabase(
          io.macfleet.controller.store.DatabaseUrl.jdbc(db), dbUser, dbPasswordFile);
    }
    try (ControllerServer server = ControllerServer.start(cfg)) {
      var out = spec.commandLine().getOut();
      out.printf(
          "macfleet controller on %s:%d (%s)%n",
          host, server.port(), insecure ? "plaintext" : "TLS");
      out.printf("  data directory   %s%n", dir);
      out.printf(
          "  admin token      %s (0600; the CLI reads it from here)%n",
          DataDirectory.adminToken(dir));
      out.printf(
          "  agent bundle     %s (0600; copy to each Mac, then run:%n",
          DataDirectory.agentBundle(dir));
      out.printf(
          "                   macfleet-agent enroll --controller THIS-HOST:%d --secret-file agent-bundle.json)%n",
          server.port());
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "controller-shutdown"));
      server.awaitTermination();
    }
    return ExitCodes.OK;
  }
}
