package io.macfleet.agent.link;

import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.time.Duration;

/**
 * How one report reaches the controller and its acknowledgement comes back. A refusal or failure is a
 * {@link io.macfleet.agent.link.h2.CallException} with the status the controller gave (or DEADLINE_EXCEEDED /
 * UNAVAILABLE), so the sender treats every transport alike.
 */
public interface ReportTransport {
  ReportAck deliver(ReportRequest report, Duration deadline) throws InterruptedException;

  /** One Report call per report: what every controller answers. */
  static ReportTransport unary(AgentCalls calls) {
    return calls::report;
  }
}
