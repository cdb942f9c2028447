package io.macfleet.controller.fleet;

import io.macfleet.controller.store.HostCredential;
import io.macfleet.controller.store.HostRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several controllers: a host revoked or re-enrolled through one must lose its old key on all of them. Each
 * controller caches keys and holds long-lived streams, so every couple of seconds it asks the database which
 * hosts were revoked or re-enrolled lately, drops their stale cached keys and ends the streams of revoked ones.
 * The look-back overlaps generously, since the controllers' clocks are not the database's; applying a change
 * twice does nothing.
 */
public final class CredentialWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CredentialWatch.class);
  static final Duration OVERLAP = Duration.ofSeconds(60);

  private final HostRepository hosts;
  private final NodeKeyAuthenticator nodeKeys;
  private final Consumer<String> disconnect;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "credential-watch");
    t.setDaemon(true);
    return t;
  });
  private OffsetDateTime lastRun;

  public CredentialWatch(
      HostRepository hosts,
      NodeKeyAuthenticator nodeKeys,
      Consumer<String> disconnect,
      Clock clock,
      Duration every) {
    this.hosts = hosts;
    this.nodeKeys = nodeKeys;
    this.disconnect = disconnect;
    this.clock = clock;
    this.lastRun = OffsetDateTime.now(clock);
    timer.scheduleWithFixedDelay(
        this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  void check() {
    try {
      OffsetDateTime started = OffsetDateTime.now(clock);
      List<HostCredential> changed = hosts.credentialsChangedSince(lastRun.minus(OVERLAP));
      nodeKeys.reconcile(changed);
      for (HostCredential h : changed) {
        if (h.revoked()) {
          disconnect.accept(h.hostId());
        }
      }
      lastRun = started;
    } catch (RuntimeException e) {
      log.warn("checking for revoked or re-enrolled hosts failed; trying again shortly", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
