package io.macfleet.agent.link;

import io.macfleet.agent.link.h2.CallException;
import io.macfleet.agent.link.h2.CallStatus;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends reports on the control stream when the controller has offered it, and by the Report call otherwise
 * (no stream yet, a controller that predates it, or the stream just broke). On the stream a report costs one
 * message each way instead of a whole HTTP/2 call; the rules do not change: one report in flight, deleted
 * from the spool only once acknowledged, retried with the same seq when the answer never comes.
 */
public final class StreamReportTransport implements ReportTransport {
  private final ControlStream stream;
  private final ReportTransport fallback;
  private final AtomicLong onStream = new AtomicLong();
  private final AtomicLong byCall = new AtomicLong();

  public StreamReportTransport(ControlStream stream, ReportTransport fallback) {
    this.stream = stream;
    this.fallback = fallback;
  }

  @Override
  public ReportAck deliver(ReportRequest report, Duration deadline) throws InterruptedException {
    var sent = stream.sendReport(report);
    if (sent.isEmpty()) {
      ReportAck ack = fallback.deliver(report, deadline);
      byCall.incrementAndGet();
      return ack;
    }
    try {
      ReportAck ack = sent.get().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      onStream.incrementAndGet();
      return ack;
    } catch (TimeoutException e) {
      throw CallStatus.Code.DEADLINE_EXCEEDED
          .status("no acknowledgement on the control stream within " + deadline.toMillis() + " ms")
          .asException();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CallException s) {
        throw s;
      }
      throw CallStatus.Code.UNKNOWN.status(String.valueOf(e.getCause())).asException();
    } finally {
      stream.forget(report.getSeq());
    }
  }

  /** Reports acknowledged on the stream. */
  public long deliveredOnStream() {
    return onStream.get();
  }

  /** Reports acknowledged by a Report call. */
  public long deliveredByCall() {
    return byCall.get();
  }
}
