package io.macfleet.agent.link;

import io.macfleet.agent.link.h2.CallException;
import io.macfleet.agent.link.h2.ControllerLink;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.EnrollResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/** Exchanges the enrollment secret for a per-host node key and records the enrollment. */
public final class Enroller {
  private Enroller() {}

  public static AgentState.Enrollment enroll(
      AgentState state,
      String controller,
      EnrollmentBundle bundle,
      boolean insecure,
      String hostname,
      String hardwareUuid,
      String agentVersion)
      throws IOException {
    // re-enrolling with the same controller: the current key proves this is the same host; never
    // sent elsewhere
    String currentKey =
        state.enrolled() && controller.equals(state.enrollment().controller) ? state.nodeKey() : "";
    try (ControllerLink link = ControllerLink.open(controller, bundle.caPem(), insecure)) {
      EnrollResponse resp = new AgentCalls(link, null)
          .enroll(
              EnrollRequest.newBuilder()
                  .setEnrollmentSecret(bundle.secret())
                  .setHostname(hostname)
                  .setHardwareUuid(hardwareUuid)
                  .setAgentVersion(agentVersion)
                  .setCurrentNodeKey(currentKey)
                  .build(),
              Duration.ofSeconds(15));
      AgentState.Enrollment e = new AgentState.Enrollment();
      e.controller = controller;
      e.hostId = resp.getHostId();
      e.hostname = hostname;
      e.insecure = insecure;
      e.enrolledAt = Instant.now().toString();
      state.saveEnrollment(e, resp.getNodeKey(), insecure ? null : bundle.caPem());
      return e;
    } catch (CallException e) {
      throw new IOException(
          "enrollment with " + controller + " failed: " + e.code()
              + (e.status().description() == null ? "" : " — " + e.status().description()),
          e);
    }
  }
}
