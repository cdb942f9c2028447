package io.macfleet.agent.link;

import io.macfleet.agent.link.h2.CallException;
import io.macfleet.agent.link.h2.CallStatus;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the spool in order, one report at a time, deleting each only after the controller has
 * acknowledged it as durable. Transient failures back off with jitter; a malformed report is set
 * aside so it cannot block the queue; a refused node key stops delivery until an operator acts.
 */
public final class ReportSender implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ReportSender.class);

  private final ReportSpool spool;
  private final ReportTransport transport;
  private final Backoff backoff;
  private final Duration deadline;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong lastAckedSeq = new AtomicLong();
  private volatile boolean running = true;
  private volatile String lastError = "";
  private final Object pauseLock = new Object();
  private boolean woken;
  private volatile SequenceCounter
      counter; // null: no resync (a sender on a spool it did not number)

  public ReportSender(
      ReportSpool spool, ReportTransport transport, Backoff backoff, Duration deadline) {
    this.spool = spool;
    this.transport = transport;
    this.backoff = backoff;
    this.deadline = deadline;
  }

  /** The counter that numbers this spool's reports, so the sender can resynchronise it with the controller. */
  public ReportSender numberedBy(SequenceCounter c) {
    this.counter = c;
    return this;
  }

  public void stop() {
    running = false;
    wake();
  }

  /**
   * The controller is reachable again (the control stream has just connected): end a backoff pause now and start
   * the next one from the shortest delay, so a spool that filled during an outage drains at once.
   */
  public void wake() {
    synchronized (pauseLock) {
      woken = true;
      pauseLock.notifyAll();
    }
  }

  public long delivered() {
    return delivered.get();
  }

  public long lastAckedSeq() {
    return lastAckedSeq.get();
  }

  public String lastError() {
    return lastError;
  }

  @Override
  public void run() {
    while (running) {
      try {
        var next = spool.peek(500);
        if (next.isEmpty()) {
          continue;
        }
        sendOne(next.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.io.IOException e) {
        lastError = "spool: " + e.getMessage();
        log.error("spool error: {}", e.getMessage());
        pause(backoff.next());
      }
    }
  }

  private void sendOne(ReportRequest spooled) throws java.io.IOException, InterruptedException {
    java.time.Instant now = java.time.Instant.now();
    // stamped at each try, so the controller compares it with its own clock, however long the
    // report waited here
    ReportRequest report = spooled.toBuilder()
        .setSentAt(io.macfleet.shared.ProtoTime.of(now))
        .setLastAckedSeq(spool.lastAcked())
        .build();
    try {
      ReportAck ack = transport.deliver(report, deadline);
      if (needsResync(report.getSeq(), ack) && counter != null) {
        int moved = spool.renumberAfter(ack.getHeldSeq(), counter);
        log.warn(
            "the controller holds this host's reports up to seq {} but was sent seq {} ({}); renumbered {} "
                + "spooled report(s) to follow it",
            ack.getHeldSeq(),
            report.getSeq(),
            ack.getOutcome(),
            moved);
        backoff.reset();
        return;
      }
      spool.remove(report.getSeq());
      delivered.incrementAndGet();
      lastAckedSeq.set(ack.getSeq());
      if (backoff.attempts() > 0) {
        log.info("controller reachable again; delivering {} spooled report(s)", spool.size());
        drainedFrom = spool.size() > 0 ? delivered.get() - 1 : -1;
      } else if (drainedFrom >= 0 && spool.size() == 0) {
        log.info(
            "spool drained: {} report(s) delivered since the controller came back",
            delivered.get() - drainedFrom);
        drainedFrom = -1;
      }
      backoff.reset();
      lastError = "";
    } catch (CallException e) {
      CallStatus.Code code = e.code();
      String why = e.status().description();
      switch (code) {
        case INVALID_ARGUMENT -> {
          log.error(
              "controller refused report {} as malformed ({}); set aside in {}/rejected",
              report.getSeq(),
              why,
              "spool");
          spool.reject(report.getSeq(), "INVALID_ARGUMENT: " + why);
        }
        case UNAUTHENTICATED, PERMISSION_DENIED -> {
          lastError = "controller refused this agent's node key (" + code + ": " + why
              + "); if the host was revoked, re-enroll it";
          log.error(lastError);
          pause(Duration.ofSeconds(60)); // keep the spool; an operator must act
        }
        default -> {
          Duration wait = backoff.next();
          lastError = LinkErrors.describe(e);
          if (backoff.attempts() <= 1 || backoff.attempts() % 10 == 0) {
            log.warn(
                "{}; {} report(s) spooled; retrying in {} ms",
                lastError,
                spool.size(),
                wait.toMillis());
          }
          pause(wait);
        }
      }
    }
  }

  /**
   * Whether the controller's numbers and this agent's have parted. A report too far ahead is not stored; a
   * duplicate below a held seq means the controller holds numbers after it that this agent never delivered (it
   * delivers in order, one at a time, so a genuine retry is always the highest held).
   */
  static boolean needsResync(long sentSeq, ReportAck ack) {
    return ack.getOutcome() == ReportAck.Outcome.OUT_OF_SEQUENCE
        || ack.getOutcome() == ReportAck.Outcome.DUPLICATE && ack.getHeldSeq() > sentSeq;
  }

  /** Delivered count when a drain after an outage began; -1 when not draining. */
  private long drainedFrom = -1;

  /** Waits out a backoff delay, or less when {@link #wake} is called meanwhile (which also resets the backoff). */
  private void pause(Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    synchronized (pauseLock) {
      try {
        while (!woken && running) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          pauseLock.wait(Math.max(1, left / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
      if (woken) {
        woken = false;
        backoff.reset();
      }
    }
  }
}
