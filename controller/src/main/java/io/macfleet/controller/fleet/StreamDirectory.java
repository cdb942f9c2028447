package io.macfleet.controller.fleet;

import io.macfleet.controller.store.SessionRepository;
import io.macfleet.proto.v1.ProbeSpec;
import io.macfleet.proto.v1.RunProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several controllers, one fleet (only on a shared database; one controller on H2 routes nothing): each records in the database which agents' streams it holds (refreshed every
 * few seconds) and, every second, pushes the requested runs of those agents that no controller has pushed yet —
 * so a replay or a scheduled firing on any controller reaches the agent wherever it is connected, exactly once
 * (a run is claimed in the database before it is pushed). A "report now" asked of another controller travels the
 * same way.
 */
public final class StreamDirectory implements RunRouting, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamDirectory.class);
  /** A holder that has not refreshed within this is gone (its controller died). */
  static final Duration STALE = Duration.ofSeconds(20);

  private final SessionRepository repo;
  private final String instance;
  private final Clock clock;
  private final BiPredicate<String, RunProbe> push;
  private final java.util.function.Predicate<String> reportNow;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "stream-directory");
    t.setDaemon(true);
    return t;
  });
  private long ticks;

  public StreamDirectory(
      SessionRepository repo,
      String instance,
      Clock clock,
      BiPredicate<String, RunProbe> push,
      java.util.function.Predicate<String> reportNow) {
    this.reportNow = reportNow;
    this.repo = repo;
    this.instance = instance;
    this.clock = clock;
    this.push = push;
    repo.forget(instance);
    timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  public void opened(String hostId) {
    repo.connected(hostId, instance, OffsetDateTime.now(clock));
  }

  public void closed(String hostId) {
    repo.disconnected(hostId, instance);
  }

  @Override
  public boolean claim(String runId) {
    return repo.claim(runId, instance);
  }

  @Override
  public void release(String runId) {
    repo.release(runId, instance);
  }

  @Override
  public Optional<String> heldElsewhere(String hostId) {
    OffsetDateTime fresh = OffsetDateTime.now(clock).minus(STALE);
    return repo.holder(hostId)
        .filter(h -> !h.instance().equals(instance) && h.at() != null && h.at().isAfter(fresh))
        .map(SessionRepository.Holder::instance);
  }

  @Override
  public boolean requestReportElsewhere(String hostId) {
    if (heldElsewhere(hostId).isEmpty()) {
      return false;
    }
    repo.requestRefresh(hostId, OffsetDateTime.now(clock));
    return true;
  }

  private void tick() {
    try {
      if (ticks++ % 5 == 0) {
        repo.heartbeat(instance, OffsetDateTime.now(clock));
      }
      for (SessionRepository.Pending p : repo.pending(instance)) {
        if (!repo.claim(p.runId(), instance)) {
          continue;
        }
        RunProbe work = RunProbe.newBuilder()
            .setRunId(p.runId())
            .setSpec(ProbeSpec.parseFrom(p.spec()))
            .build();
        if (push.test(p.hostId(), work)) {
          log.info("run {} started elsewhere, pushed to its agent here", p.runId());
        } else {
          repo.release(p.runId(), instance);
        }
      }
      for (String hostId : repo.refreshes(instance)) {
        if (repo.takeRefresh(hostId) && reportNow.test(hostId)) {
          log.info("host {} asked to report by another controller; asked its agent here", hostId);
        }
      }
    } catch (RuntimeException | com.google.protobuf.InvalidProtocolBufferException e) {
      log.warn("stream directory: a pass failed; the next one tries again", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
