package io.macfleet.controller.schedule;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** The fleet database's scheduler name, created once ("macfleet-" and 8 random hex digits) and kept in settings. */
final class SchedulerName {
  private SchedulerName() {}

  static String of(DataSource ds) throws org.quartz.SchedulerException {
    try (Connection c = ds.getConnection()) {
      String existing = read(c);
      if (existing != null) {
        return existing;
      }
      try (PreparedStatement ins =
          c.prepareStatement("INSERT INTO settings (k, v) VALUES ('scheduler_name', ?)")) {
        ins.setString(1, "macfleet-" + UUID.randomUUID().toString().substring(0, 8));
        ins.executeUpdate();
      } catch (SQLException raced) {
        // another controller on the same database created it first; use theirs
      }
      return read(c);
    } catch (SQLException e) {
      throw new org.quartz.SchedulerException(
          "cannot read the scheduler name from the database", e);
    }
  }

  private static String read(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT v FROM settings WHERE k = 'scheduler_name'");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
