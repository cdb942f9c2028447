package io.macfleet.controller.cli;

import io.macfleet.controller.ControllerConfig;
import io.macfleet.controller.security.DataDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the CLI reaches a controller. Secrets come from files or the environment, never the command line. */
public final class ConnectionOptions {
  public static final String ENV_CONTROLLER = "MACFLEET_CONTROLLER";
  public static final String ENV_TOKEN = "MACFLEET_ADMIN_TOKEN";

  private static final String LOCAL = "127.0.0.1:" + ControllerConfig.DEFAULT_PORT;

  @Option(
      names = "--controller",
      paramLabel = "HOST:PORT",
      defaultValue = "${env:" + ENV_CONTROLLER + ":-" + LOCAL + "}",
      description = "Controller address (default: $" + ENV_CONTROLLER + ", else " + LOCAL + ").")
  String controller;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Controller data directory holding admin-token and tls/ca.pem (default: $MACFLEET_HOME or ~/.macfleet).")
  Path dataDir;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Admin token file (default: DATA-DIR/admin-token; or set $MACFLEET_ADMIN_TOKEN).")
  Path tokenFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description = "Controller CA to trust (default: DATA-DIR/tls/ca.pem).")
  Path caFile;

  /**
   * The local user's name, sent with each call. The controller records it as unverified beside what it knows (the
   * admin token and the peer address): anyone holding the token could send any name.
   */
  static String localUser() {
    return System.getProperty("user.name", "unknown");
  }

  @Option(
      names = "--insecure",
      description = "Plaintext gRPC, for a controller started with --insecure on loopback.")
  boolean insecure;

  /** The address given; picocli has already put $MACFLEET_CONTROLLER or the local default in its place. */
  String target() {
    return controller == null || controller.isBlank() ? LOCAL : controller.strip();
  }

  Path dataDir() {
    return DataDirectory.resolve(dataDir);
  }

  Path tokenFile() {
    return tokenFile != null ? tokenFile : DataDirectory.adminToken(dataDir());
  }

  Path caFile() {
    return caFile != null ? caFile : DataDirectory.caCert(dataDir());
  }

  /** For the demo and tests: point at a known controller. */
  public static ConnectionOptions of(String controller, Path dataDir, boolean insecure) {
    ConnectionOptions o = new ConnectionOptions();
    o.controller = controller;
    o.dataDir = dataDir;
    o.insecure = insecure;
    return o;
  }
}
