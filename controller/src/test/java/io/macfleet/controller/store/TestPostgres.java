package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database per test, on the server .ci/run starts (Debian's postgresql): the connection comes
 * from $MACFLEET_TEST_POSTGRES (a jdbc:postgresql: URL of a database the user may connect to), with
 * $MACFLEET_TEST_POSTGRES_USER and $MACFLEET_TEST_POSTGRES_PASSWORD; the user needs CREATEDB. In CI a missing
 * server fails the test instead of skipping it.
 */
public final class TestPostgres {
  private TestPostgres() {}

  public static String adminUrl() {
    String url = System.getenv("MACFLEET_TEST_POSTGRES");
    if (url == null && System.getenv("CI") != null) {
      throw new AssertionError(
          "CI must provide PostgreSQL ($MACFLEET_TEST_POSTGRES, set by .ci/run)");
    }
    Assumptions.assumeTrue(url != null, "no $MACFLEET_TEST_POSTGRES: PostgreSQL tests skipped");
    return url;
  }

  public static String user() {
    return System.getenv().getOrDefault("MACFLEET_TEST_POSTGRES_USER", "macfleet");
  }

  public static String password() {
    return System.getenv().getOrDefault("MACFLEET_TEST_POSTGRES_PASSWORD", "");
  }

  /** Creates an empty database and returns its JDBC URL. */
  public static String create() {
    String admin = adminUrl();
    String name = "mf_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(admin, user(), password());
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new AssertionError(
          "cannot create a test database on " + admin + ": " + e.getMessage(), e);
    }
    return admin.substring(0, admin.lastIndexOf('/') + 1) + name;
  }

  public static void drop(String url) {
    String admin = adminUrl();
    String name = url.substring(url.lastIndexOf('/') + 1);
    try (Connection c = DriverManager.getConnection(admin, user(), password());
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      // a leftover test database is harmless; say so and go on
      System.err.println("could not drop " + name + ": " + e.getMessage());
    }
  }
}
