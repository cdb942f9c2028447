package io.macfleet.controller.security;

import java.nio.file.Path;

/** Where the controller keeps its database, secrets and TLS material. */
public final class DataDirectory {
  public static final String ENV = "MACFLEET_HOME";

  private DataDirectory() {}

  public static Path resolve(Path flag) {
    if (flag != null) {
      return flag;
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".macfleet");
  }

  public static Path adminToken(Path dir) {
    return dir.resolve("admin-token");
  }

  public static Path enrollmentSecret(Path dir) {
    return dir.resolve("enrollment-secret");
  }

  public static Path agentBundle(Path dir) {
    return dir.resolve("agent-bundle.json");
  }

  public static Path tlsDir(Path dir) {
    return dir.resolve("tls");
  }

  public static Path caCert(Path dir) {
    return tlsDir(dir).resolve("ca.pem");
  }
}
