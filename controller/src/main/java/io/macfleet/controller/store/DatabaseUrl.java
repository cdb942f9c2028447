package io.macfleet.controller.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * `--db postgresql://host[:port]/database` (or a jdbc:postgresql: URL) to a JDBC URL, and the credentials that go
 * with it: a password comes from a file or $MACFLEET_DB_PASSWORD, never from the URL or the command line, where
 * `ps` and shell history would show it.
 */
public final class DatabaseUrl {
  public static final String ENV_USER = "MACFLEET_DB_USER";
  public static final String ENV_PASSWORD = "MACFLEET_DB_PASSWORD";

  private DatabaseUrl() {}

  public static String jdbc(String url) {
    String u = url.strip();
    String lower = u.toLowerCase(Locale.ROOT);
    if (lower.contains("password")) {
      throw new IllegalArgumentException(
          "--db must not carry a password; put it in a file (--db-password-file) or " + "$"
              + ENV_PASSWORD);
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      u = "jdbc:postgresql://" + u.substring(u.indexOf("://") + 3);
    }
    if (!u.startsWith("jdbc:postgresql://") && !u.startsWith("jdbc:h2:")) {
      throw new IllegalArgumentException(
          "--db must be postgresql://HOST[:PORT]/DATABASE (or a jdbc:postgresql: or "
              + "jdbc:h2: URL), not " + u.replaceAll("//[^/@]*@", "//***@"));
    }
    String authority =
        u.startsWith("jdbc:postgresql://") ? u.substring("jdbc:postgresql://".length()) : "";
    int slash = authority.indexOf('/');
    if (slash >= 0 && authority.substring(0, slash).contains("@")) {
      throw new IllegalArgumentException(
          "--db must not carry user information (user@host); use --db-user or $" + ENV_USER);
    }
    return u;
  }

  public static String user(String flag) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String env = System.getenv(ENV_USER);
    return env == null || env.isBlank() ? "macfleet" : env;
  }

  public static String password(Path file) throws IOException {
    if (file != null) {
      String p = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (p.isEmpty()) {
        throw new IOException(file + " is empty");
      }
      return p;
    }
    String env = System.getenv(ENV_PASSWORD);
    return env == null ? "" : env;
  }
}
