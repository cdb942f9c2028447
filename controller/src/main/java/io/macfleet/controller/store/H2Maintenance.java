package io.macfleet.controller.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded database's upkeep: refuses a file that cannot be the fleet's database before anything opens it,
 * compacts the file at start when it has grown, and checks every 30 s while running, compacting with the
 * pool held ({@link Database#offline}) — ingest and the CLI pause for the copy (435 ms for a 246 MB file holding
 * 9 MB, docs/h2-durability.md), agents keep their reports meanwhile.
 */
public final class H2Maintenance implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(H2Maintenance.class);

  private final ScheduledExecutorService timer;

  private H2Maintenance(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /**
   * Before the database opens: an existing file that is empty is refused (H2 would make a new, empty fleet of it),
   * and a file that has grown since its last compaction is compacted.
   */
  public static void beforeOpen(Path dataDir) throws IOException {
    Path file = Database.h2File(dataDir);
    if (Files.exists(file) && Files.size(file) == 0) {
      throw new IOException(damaged(file, "is empty (0 bytes)"));
    }
    try {
      H2Compaction.compactIfDue(dataDir)
          .ifPresent(r -> log.info(
              "compacted {}: {} MB to {} MB in {} ms",
              file,
              r.bytesBefore() >> 20,
              r.bytesAfter() >> 20,
              r.millis()));
    } catch (IOException e) {
      // a file H2 cannot read fails here first: say what to do about it
      throw new IOException(damaged(file, "cannot be read (" + e.getMessage() + ")"), e);
    }
  }

  /** The message for a database file the controller will not start on. */
  public static String damaged(Path file, String what) {
    return "the database " + file + " " + what
        + "; the controller does not start on it, so that a damaged file "
        + "never becomes a new, empty fleet. Restore it from a backup, or try H2's recovery tool: java -cp "
        + "macfleet-controller.jar org.h2.tools.Recover -dir " + file.getParent()
        + " -db macfleet (it writes "
        + "macfleet.h2.sql to load into a new database). To start a new fleet instead, move the file aside.";
  }

  /** Checks every {@code every} whether the file is due for compaction and compacts it with the pool held. */
  public static H2Maintenance start(Database db, Path dataDir, Duration every) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "h2-maintenance");
      t.setDaemon(true);
      return t;
    });
    long period = every.toMillis();
    timer.scheduleWithFixedDelay(
        () -> compactIfDue(db, dataDir), period, period, TimeUnit.MILLISECONDS);
    return new H2Maintenance(timer);
  }

  private static void compactIfDue(Database db, Path dataDir) {
    try {
      if (!H2Compaction.due(dataDir)) {
        return;
      }
      var done = db.offline(Duration.ofSeconds(30), () -> H2Compaction.compact(dataDir));
      if (done.isPresent()) {
        var r = done.get();
        log.info(
            "compacted {} while running: {} MB to {} MB; ingest paused {} ms",
            Database.h2File(dataDir),
            r.bytesBefore() >> 20,
            r.bytesAfter() >> 20,
            r.millis());
      } else {
        log.warn(
            "did not compact {}: a connection stayed in use for 30 s; trying again later",
            Database.h2File(dataDir));
      }
    } catch (IOException | RuntimeException e) {
      log.error("could not compact {}", Database.h2File(dataDir), e);
    }
  }

  @Override
  public void close() {
    timer
        .shutdown(); // periodic checks stop; a compaction under way finishes before the pool closes
    try {
      timer.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
