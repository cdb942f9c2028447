package io.macfleet.controller.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** The connection pool and schema: HikariCP over the configured JDBC URL, migrated by Flyway at start. */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Dialect dialect;

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /**
   * The embedded H2 file database in the data directory. WRITE_DELAY=0 writes each commit to the file
   * before the commit returns, so an acknowledged report survives the controller process dying.
   * MAX_COMPACT_TIME=0 skips H2's compaction when the database closes: two benchmark runs under heavy batch
   * inserts found a few acknowledged reports missing after a clean stop, which matches H2 2.x reports of
   * recently inserted rows lost by close-time compaction (h2database issue 4247). Compaction while running is
   * unchanged, so the file still reclaims space.
   */
  public static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("macfleet")
        + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  public static Database open(String jdbcUrl, String user, String password, int poolSize) {
    Dialect dialect = Dialect.forJdbcUrl(jdbcUrl);
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(jdbcUrl);
    cfg.setUsername(user);
    cfg.setPassword(password);
    cfg.setMaximumPoolSize(Math.max(2, poolSize)); // Flyway holds two connections while migrating
    cfg.setPoolName("macfleet-db");
    cfg.setAutoCommit(true);
    dialect.connectionProperties().forEach(cfg::addDataSourceProperty);
    HikariDataSource ds = new HikariDataSource(cfg);
    try {
      Flyway.configure().dataSource(ds).locations(dialect.migrations()).load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
