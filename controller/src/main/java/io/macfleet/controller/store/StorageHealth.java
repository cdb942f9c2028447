package io.macfleet.controller.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database can take writes, as the writers last found it. A storage failure (a full disk, a file the
 * database closed after an I/O error) makes the controller not ready, is logged with its cause and where the data
 * lives at most once a minute (however many writes fail meanwhile), and makes the pool drop its connections at most
 * every few seconds, so that the next write opens the database again: once space returns, the controller recovers
 * by itself. The next write that succeeds ends the outage and says so.
 */
public final class StorageHealth {
  private static final Logger log = LoggerFactory.getLogger(StorageHealth.class);
  static final Duration LOG_EVERY = Duration.ofMinutes(1);
  static final Duration REOPEN_EVERY = Duration.ofSeconds(5);

  private final String where;
  private final Runnable reopen;
  private final Clock clock;
  private Instant failingSince;
  private String cause;
  private long failures;
  private long failuresLogged;
  private Instant lastLog = Instant.MIN;
  private Instant lastReopen = Instant.MIN;

  /** where: the data's location for the log (a path, or a database URL without credentials). */
  public StorageHealth(String where, Runnable reopen, Clock clock) {
    this.where = where;
    this.reopen = reopen;
    this.clock = clock;
  }

  /** A write failed: remember why, log at most once a minute, and let the pool reopen the database. */
  public void failed(Throwable e) {
    boolean logNow;
    boolean reopenNow;
    long count;
    String why;
    synchronized (this) {
      Instant now = clock.instant();
      failures++;
      String root = cause(e);
      // "the database has been closed" follows the real cause; keep the first one that says
      // something
      if (cause == null || !root.contains("90098")) {
        cause = root;
      }
      if (failingSince == null) {
        failingSince = now;
      }
      logNow = Duration.between(lastLog, now).compareTo(LOG_EVERY) >= 0;
      if (logNow) {
        lastLog = now;
      }
      reopenNow = Duration.between(lastReopen, now).compareTo(REOPEN_EVERY) >= 0;
      if (reopenNow) {
        lastReopen = now;
      }
      count = failures - failuresLogged;
      if (logNow) {
        failuresLogged = failures;
      }
      why = cause;
    }
    if (logNow) {
      log.error(
          "storage failed ({} write(s) since the last message): {} — data in {}. The controller is not ready "
              + "and agents keep their reports until it recovers; free disk space or fix the disk, it reopens the "
              + "database by itself",
          count,
          why,
          where);
    }
    if (reopenNow) {
      try {
        reopen.run();
      } catch (RuntimeException ex) {
        log.debug("could not drop the pool's connections", ex);
      }
    }
  }

  /** A write succeeded: an outage, if any, is over. */
  public void succeeded() {
    Instant since;
    long count;
    synchronized (this) {
      if (failingSince == null) {
        return;
      }
      since = failingSince;
      count = failures;
      failingSince = null;
      cause = null;
      failures = 0;
      failuresLogged = 0;
      lastLog = Instant.MIN;
    }
    log.info(
        "storage recovered after {} s and {} failed write(s); data in {}",
        Duration.between(since, clock.instant()).toSeconds(),
        count,
        where);
  }

  /** Why the database cannot take writes; empty when the last write succeeded. */
  public synchronized Optional<String> problem() {
    return failingSince == null
        ? Optional.empty()
        : Optional.of("storage failing since " + failingSince + ": " + cause);
  }

  /** The innermost message of a failure: where H2 and the JDBC driver say what the file system said. */
  public static String cause(Throwable e) {
    String best = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank()) {
        best = m;
      }
      if (t instanceof java.io.IOException && m != null) {
        return oneLine(m); // the file system's own words: "No space left on device"
      }
    }
    return best == null ? e.getClass().getSimpleName() : oneLine(best);
  }

  private static String oneLine(String s) {
    String line = s.strip().lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }
}
