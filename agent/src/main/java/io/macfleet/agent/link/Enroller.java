package io.macfleet.agent.link;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.macfleet.proto.v1.AgentServiceGrpc;
import io.macfleet.proto.v1.EnrollRequest;
import io.macfleet.proto.v1.EnrollResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

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
    ManagedChannel ch = ControllerChannels.open(controller, bundle.caPem(), insecure);
    try {
      EnrollResponse resp = AgentServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(15, TimeUnit.SECONDS)
          .enroll(EnrollRequest.newBuilder()
              .setEnrollmentSecret(bundle.secret())
              .setHostname(hostname)
              .setHardwareUuid(hardwareUuid)
              .setAgentVersion(agentVersion)
              .setCurrentNodeKey(currentKey)
              .build());
      AgentState.Enrollment e = new AgentState.Enrollment();
      e.controller = controller;
      e.hostId = resp.getHostId();
      e.hostname = hostname;
      e.insecure = insecure;
      e.enrolledAt = Instant.now().toString();
      state.saveEnrollment(e, resp.getNodeKey(), insecure ? null : bundle.caPem());
      return e;
    } catch (StatusRuntimeException e) {
      throw new IOException(
          "enrollment with " + controller + " failed: " + e.getStatus().getCode()
              + (e.getStatus().getDescription() == null
                  ? ""
                  : " — " + e.getStatus().getDescription()),
          e);
    } finally {
      ch.shutdownNow();
      try {
        ch.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
