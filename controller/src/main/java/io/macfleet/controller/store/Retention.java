package io.macfleet.controller.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is older than its retention: reports, probe samples, events, audit entries. In small batches, each
 * its own short transaction with a pause after it, so the report writer never waits long behind a purge. A host's
 * newest report is never deleted (hosts show it), nor the samples of a baseline run (verdicts compare with them);
 * a run's summary (its levels and verdicts) is kept when its samples go.
 */
public final class Retention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /** How long each kind of row is kept; null keeps it for ever. */
  public record Policy(Duration reports, Duration samples, Duration events, Duration audit) {
    public static Policy defaults() {
      return new Policy(
          Duration.ofDays(30), Duration.ofDays(180), Duration.ofDays(180), Duration.ofDays(400));
    }
  }

  /** What one pass deleted. */
  public record Purged(long reports, long samples, long events, long audit) {
    public long total() {
      return reports + samples + events + audit;
    }
  }

  private final Database db;
  private final DataSource ds;
  private final Policy policy;
  private final Clock clock;
  private final int batch;
  private final Duration pause;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "retention");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running = true;

  public Retention(Database db, Policy policy, Clock clock, int batch, Duration pause) {
    this.db = db;
    this.ds = db.dataSource();
    this.policy = policy;
    this.clock = clock;
    this.batch = batch;
    this.pause = pause;
  }

  /** Purges now and then every {@code every}, on a thread of its own. */
  public Retention every(Duration first, Duration every) {
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            Purged p = purge();
            if (p.total() > 0) {
              log.info(
                  "retention: deleted {} report(s), the samples of {} run(s), {} event(s), {} audit entr(ies)",
                  p.reports(),
                  p.samples(),
                  p.events(),
                  p.audit());
            }
          } catch (RuntimeException e) {
            log.warn("retention: a purge failed; it runs again in {}", every, e);
          }
        },
        first.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass over every kind, each until nothing older than its retention is left. */
  public Purged purge() {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    Purged p = new Purged(
        policy.reports() == null ? 0 : reports(now.minus(policy.reports())),
        policy.samples() == null ? 0 : samples(now.minus(policy.samples())),
        policy.events() == null
            ? 0
            : byTime("events", "at", now.minus(policy.events()))
                // Gate C's observations are kept as long as the events they sit beside
                + byTime("client_observations", "at", now.minus(policy.events())),
        policy.audit() == null ? 0 : byTime("audit", "at", now.minus(policy.audit())));
    if (p.audit() > 0) {
      // the one way audit entries ever go, and it leaves its own entry
      new AuditRepository(db)
          .append(
              now,
              "macfleet retention",
              "audit.purge",
              null,
              "deleted " + p.audit() + " audit entries older than "
                  + policy.audit().toDays() + "d (serve --retain-audit)",
              0,
              "");
    }
    return p;
  }

  /**
   * Reports, oldest id first. Ids grow with time (handed out in blocks), so the walk stops at the first batch that
   * holds no report older than the cut: it reads what it deletes and about one batch more, not the whole log. Two
   * controllers' blocks interleave in time, so a batch with old and new reports mixed is walked past; an old report
   * behind a whole batch of new ones goes in a later pass.
   */
  private long reports(OffsetDateTime cut) {
    long deleted = 0;
    long from = Long.MIN_VALUE;
    while (running) {
      List<Long> old = new ArrayList<>();
      long last = from;
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT id, received_at FROM reports WHERE id > ? ORDER BY id "
                  + "FETCH FIRST " + batch + " ROWS ONLY")) {
        ps.setLong(1, from);
        int seen = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            seen++;
            last = rs.getLong(1);
            if (rs.getObject(2, OffsetDateTime.class).isBefore(cut)) {
              old.add(last);
            }
          }
        }
        if (seen == 0 || old.isEmpty()) {
          break;
        }
        old.removeAll(newestReports(c, old));
        deleted += deleteIds(c, "reports", "id", old);
      } catch (SQLException e) {
        throw new StoreException("deleting old reports", e);
      }
      from = last;
      rest();
    }
    return deleted;
  }

  /** Which of these reports a host points at as its newest. */
  private static Set<Long> newestReports(Connection c, List<Long> ids) throws SQLException {
    Set<Long> newest = new HashSet<>();
    if (ids.isEmpty()) {
      return newest;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT last_report_id FROM host_progress WHERE last_report_id " + "BETWEEN ? AND ?")) {
      ps.setLong(1, ids.get(0));
      ps.setLong(2, ids.get(ids.size() - 1));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          newest.add(rs.getLong(1));
        }
      }
    }
    return newest;
  }

  /** The samples of finished runs older than the cut that are not baselines, a few runs per transaction. */
  private long samples(OffsetDateTime cut) {
    long runs = 0;
    while (running) {
      List<String> ids = new ArrayList<>();
      try (Connection c = ds.getConnection()) {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT r.id FROM runs r WHERE COALESCE(r.finished_at, r.requested_at) < ? AND "
                + "r.baseline = FALSE AND EXISTS (SELECT 1 FROM samples s WHERE s.run_id = r.id) FETCH FIRST 20 ROWS ONLY")) {
          ps.setObject(1, cut);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getString(1));
            }
          }
        }
        if (ids.isEmpty()) {
          break;
        }
        c.setAutoCommit(false);
        try (PreparedStatement del = c.prepareStatement("DELETE FROM samples WHERE run_id = ?")) {
          for (String id : ids) {
            del.setString(1, id);
            del.addBatch();
          }
          del.executeBatch();
        }
        c.commit();
        runs += ids.size();
      } catch (SQLException e) {
        throw new StoreException("deleting old samples", e);
      }
      rest();
    }
    return runs;
  }

  /** Rows of a table with an id and an indexed time column, oldest first. */
  private long byTime(String table, String at, OffsetDateTime cut) {
    long deleted = 0;
    while (running) {
      List<Long> ids = new ArrayList<>();
      try (Connection c = ds.getConnection()) {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + table + " WHERE " + at
            + " < ? ORDER BY " + at + " FETCH FIRST " + batch + " ROWS ONLY")) {
          ps.setObject(1, cut);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              ids.add(rs.getLong(1));
            }
          }
        }
        if (ids.isEmpty()) {
          break;
        }
        deleted += deleteIds(c, table, "id", ids);
      } catch (SQLException e) {
        throw new StoreException("deleting old " + table, e);
      }
      rest();
    }
    return deleted;
  }

  private static long deleteIds(Connection c, String table, String key, List<Long> ids)
      throws SQLException {
    if (ids.isEmpty()) {
      return 0;
    }
    c.setAutoCommit(false);
    long n;
    try (PreparedStatement del = c.prepareStatement("DELETE FROM " + table + " WHERE " + key
        + " IN (" + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")")) {
      for (int i = 0; i < ids.size(); i++) {
        del.setLong(i + 1, ids.get(i));
      }
      n = del.executeUpdate();
    }
    c.commit();
    return n;
  }

  private void rest() {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    timer.shutdownNow();
  }
}
