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
   * The embedded H2 file database in the data directory.
   *
   * <ul>
   *   <li>WRITE_DELAY=0 writes each commit to the file before the commit returns.
   *   <li>REUSE_SPACE=FALSE appends every chunk at the end of the file instead of into space freed earlier. H2
   *       2.5.252 reusing space lost every report acknowledged in the seconds between a clean reopen and a SIGKILL
   *       (docs/h2-durability.md; KillInUseTest). The file then grows until it is compacted: {@link H2Compaction}
   *       does that offline at start.
   *   <li>MAX_COMPACT_TIME=0 skips H2's own compaction when the database closes, which lost recently inserted rows
   *       in two benchmark runs (h2database issue 4247).
   *   <li>TRACE_LEVEL_FILE=0: no macfleet.trace.db. With the disk full H2 wrote the real cause there (and grew it
   *       into the space an operator freed); the controller logs storage failures itself ({@link StorageHealth}).
   * </ul>
   */
  public static String h2Url(Path dataDir) {
    return "jdbc:h2:file:" + h2Base(dataDir)
        + ";WRITE_DELAY=0;REUSE_SPACE=FALSE;MAX_COMPACT_TIME=0;TRACE_LEVEL_FILE=0;DB_CLOSE_ON_EXIT=FALSE";
  }

  /** The H2 database's name in the data directory, without H2's ".mv.db". */
  public static Path h2Base(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("macfleet");
  }

  /** The H2 database's file in the data directory. */
  public static Path h2File(Path dataDir) {
    return dataDir.toAbsolutePath().resolve("macfleet.mv.db");
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
    cfg.setAllowPoolSuspension(
        true); // offline(): H2's compaction needs the file closed for a moment
    dialect.connectionProperties().forEach(cfg::addDataSourceProperty);
    HikariDataSource ds = new HikariDataSource(cfg);
    try {
      Flyway flyway =
          Flyway.configure().dataSource(ds).locations(dialect.migrations()).load();
      MergedMigrations.realign(flyway);
      flyway.migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  /** Something done while no connection has the database open. */
  public interface OfflineWork<T> {
    T run() throws java.io.IOException;
  }

  /**
   * Runs {@code work} with the database closed, then lets callers in again: the pool is suspended (new
   * {@code getConnection} calls wait), the connections in use are waited for (up to {@code drain}), every
   * connection is closed, and the embedded database with them. Callers see a pause, never an error. Empty when a
   * connection stayed in use past {@code drain}; the work is then not run.
   */
  public <T> java.util.Optional<T> offline(java.time.Duration drain, OfflineWork<T> work)
      throws java.io.IOException {
    var pool = dataSource.getHikariPoolMXBean();
    pool.suspendPool();
    try {
      long deadline = System.nanoTime() + drain.toNanos();
      while (pool.getActiveConnections() > 0) {
        if (System.nanoTime() > deadline) {
          return java.util.Optional.empty();
        }
        sleep(10);
      }
      pool.softEvictConnections();
      while (pool.getTotalConnections()
          > 0) { // the pool closes evicted connections on a thread of its own
        if (System.nanoTime() > deadline + 10_000_000_000L) {
          return java.util.Optional.empty();
        }
        sleep(10);
      }
      return java.util.Optional.of(work.run());
    } finally {
      pool.resumePool();
    }
  }

  private static void sleep(long millis) throws java.io.IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while taking the database offline");
    }
  }

  /**
   * Drops the pool's connections (those in use when they come back), so that the next caller opens the database
   * anew: after a storage failure H2 closes the database, and a pooled connection to it would fail for good.
   */
  public void reopen() {
    dataSource.getHikariPoolMXBean().softEvictConnections();
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
