package io.macfleet.controller.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/** Hands Quartz connections from the controller's own pool, so schedules live in the same database. */
final class QuartzConnections implements ConnectionProvider {
  private final DataSource ds;

  QuartzConnections(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return ds.getConnection();
  }

  @Override
  public void shutdown() {
    // the pool belongs to the controller, which closes it
  }

  @Override
  public void initialize() {
    // nothing to set up: the pool already runs
  }
}
