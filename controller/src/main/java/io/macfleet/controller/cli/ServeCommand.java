package io.macfleet.controller.cli;

import io.macfleet.controller.ControllerConfig;
import io.macfleet.controller.ControllerServer;
import io.macfleet.controller.security.DataDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the controller: gRPC for agents and the CLI, embedded H2 in the data directory.")
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: $MACFLEET_HOME or ~/.macfleet).")
  Path dataDir;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:" + ControllerConfig.DEFAULT_PORT,
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--insecure", description = "Serve plaintext gRPC; refused unless --listen is a loopback address.")
  boolean insecure;

  @Option(names = "--tls-name", paramLabel = "NAME",
      description = "Extra DNS name or IP for the server certificate (repeatable), e.g. the name agents dial.")
  List<String> tlsNames = List.of();

  @Option(names = "--ssh-port", paramLabel = "PORT", defaultValue = "-1", description = "Also serve the admin SSH "
      + "endpoint on this port (e.g. 2222): `ssh -p 2222 admin@controller hosts --json`, keys from "
      + "DATA-DIR/ssh/authorized_keys, no shell. Off by default.")
  int sshPort;

  @Option(names = "--db", paramLabel = "URL", description = "A shared PostgreSQL database instead of the embedded "
      + "H2: postgresql://HOST[:PORT]/DATABASE. Several controllers may serve one fleet from it. No credentials in "
      + "the URL: --db-user (or $MACFLEET_DB_USER) and --db-password-file (or $MACFLEET_DB_PASSWORD).")
  String db;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user (default: $MACFLEET_DB_USER or "
      + "macfleet).")
  String dbUser;

  @Option(names = "--db-password-file", paramLabel = "FILE", description = "File holding the database password.")
  java.nio.file.Path dbPasswordFile;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "9464", description = "HTTP port for "
      + "GET /metrics (Prometheus), /healthz and /readyz, on the --listen address (default: ${DEFAULT-VALUE}; "
      + "-1 turns it off).")
  int metricsPort;

  @Option(names = "--run-timeout", paramLabel = "MINUTES", defaultValue = "30",
      description = "A pushed probe with no result after this many minutes is marked incomplete (default: ${DEFAULT-VALUE}).")
  int runTimeoutMinutes;

  @Option(names = "--commit-gap", paramLabel = "MS", defaultValue = "5", description = "Least time between the "
      + "starts of two report commits, so that reports arriving together share a commit (default: ${DEFAULT-VALUE}; "
      + "0 commits whenever a report waits). A report waits at most this much longer, and only under load.")
  int commitGapMs;

  @Override
  public Integer call() throws Exception {
    if (runTimeoutMinutes < 1) {
      throw new CliException(ExitCodes.USAGE, "--run-timeout must be at least 1 minute");
    }
    if (commitGapMs < 0 || commitGapMs > 1000) {
      throw new CliException(ExitCodes.USAGE, "--commit-gap must be 0 to 1000 ms, got " + commitGapMs);
    }
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
    ControllerConfig cfg = ControllerConfig.defaults(dir).withListen(host, port).withInsecure(insecure)
        .withTlsNames(tlsNames).withRunTimeout(java.time.Duration.ofMinutes(runTimeoutMinutes)).withSshPort(sshPort)
        .withOpsPort(metricsPort).withCommitGap(java.time.Duration.ofMillis(commitGapMs));
    if (db != null) {
      cfg = cfg.withDatabase(io.macfleet.controller.store.DatabaseUrl.jdbc(db), dbUser, dbPasswordFile);
    }
    try (ControllerServer server = ControllerServer.start(cfg)) {
      var out = spec.commandLine().getOut();
      out.printf("macfleet controller on %s:%d (%s)%n", host, server.port(), insecure ? "plaintext" : "TLS");
      out.printf("  data directory   %s%n", dir);
      out.printf("  admin token      %s (0600; the CLI reads it from here)%n", DataDirectory.adminToken(dir));
      out.printf("  agent bundle     %s (0600; copy to each Mac, then run:%n", DataDirectory.agentBundle(dir));
      out.printf("                   macfleet-agent enroll --controller THIS-HOST:%d --secret-file agent-bundle.json)%n",
          server.port());
      out.flush();
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "controller-shutdown"));
      server.awaitTermination();
    }
    return ExitCodes.OK;
  }
}
