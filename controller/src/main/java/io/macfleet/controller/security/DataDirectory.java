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

  /**
   * Creates the data directory owner-only (0700): it holds the database, the CA key and the secrets. An existing
   * directory is left as the operator made it.
   */
  public static void create(Path dir) throws java.io.IOException {
    if (java.nio.file.Files.isDirectory(dir)) {
      return;
    }
    if (dir.getParent() != null) {
      java.nio.file.Files.createDirectories(dir.toAbsolutePath().getParent());
    }
    if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      java.nio.file.Files.createDirectory(
          dir,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    } else {
      java.nio.file.Files.createDirectory(dir);
    }
  }

  /** Makes a file the controller wrote owner-only (0600), where the file system has POSIX permissions. */
  public static void ownerOnly(Path file) throws java.io.IOException {
    if (java.nio.file.Files.exists(file)
        && java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      java.nio.file.Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
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
