package io.macfleet.agent.link;

import io.macfleet.agent.link.h2.CallListener;
import io.macfleet.agent.link.h2.CallSender;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.proto.v1.AgentMessage;
import io.macfleet.proto.v1.ControllerMessage;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.EnrollResponse;
import io.macfleet.proto.v1.ReportAck;
import io.macfleet.proto.v1.ReportRequest;
import java.time.Duration;

/**
 * The controller's AgentService (proto/…/agent.proto) as this agent calls it, each call carrying the node key as a
 * bearer secret (none for Enroll, which presents the enrollment secret in its request instead).
 */
public final class AgentCalls {
  private static final String SERVICE = "/macfleet.v1.AgentService/";

  private final ControllerLink link;
  private final String nodeKey;

  /** NODE_KEY may be null: only Enroll is then accepted by the controller. */
  public AgentCalls(ControllerLink link, String nodeKey) {
    this.link = link;
    this.nodeKey = nodeKey;
  }

  public EnrollResponse enroll(EnrollRequest request, Duration deadline) {
    return link.unary(SERVICE + "Enroll", request, EnrollResponse.parser(), null, deadline);
  }

  public ReportAck report(ReportRequest request, Duration deadline) {
    return link.unary(SERVICE + "Report", request, ReportAck.parser(), nodeKey, deadline);
  }

  /** The control stream: the controller's pings, probe work and report acknowledgements come back on it. */
  public CallSender<AgentMessage> connect(CallListener<ControllerMessage> listener) {
    return link.stream(SERVICE + "Connect", ControllerMessage.parser(), nodeKey, listener);
  }

  @Override
  public String toString() {
    return "AgentCalls[node key redacted]"; // never print the secret
  }
}
