package io.macfleet.controller.grpc;

import static io.macfleet.controller.TestController.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.macfleet.agent.link.AgentState;
import io.macfleet.controller.TestController;
import io.macfleet.proto.v1.HostSnapshot;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack: one host floods the controller with reports that used to pass validation and then fail storage
 * (an OS "extra" longer than its column, a time near Long.MAX_VALUE) while another host reports normally. Every one
 * of the flood is refused as malformed, naming the field; every one of the other host's reports is stored.
 */
class NoisyNeighbourTest {
  @TempDir
  Path tmp;

  @Test
  void oneHostsBadReportsNeverRefuseAnotherHostsGoodOnes() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState good = c.enroll(tmp.resolve("good"), "mac-good", "UUID-GOOD");
      AgentState noisy = c.enroll(tmp.resolve("noisy"), "mac-noisy", "UUID-NOISY");
      String goodKey = good.nodeKey();
      String noisyKey = noisy.nodeKey();
      HostSnapshot base = TestController.snapshot("mac-noisy", "0.32.15", "M4");
      HostSnapshot longExtra = base.toBuilder()
          .setIdentity(base.getIdentity().toBuilder().setOsExtra("x".repeat(500)))
          .build();
      HostSnapshot farFuture = base.toBuilder()
          .setCollectedAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(Long.MAX_VALUE - 1))
          .build();
      AtomicInteger refusedAsMalformed = new AtomicInteger();
      AtomicReference<String> firstRefusal = new AtomicReference<>();
      var channel = io.macfleet.controller.AgentChannels.open(c.target(), c.caPem());
      var noisyStub = io.macfleet.proto.v1.AgentServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(io.macfleet.controller.AgentChannels.nodeKey(noisyKey));
      var goodStub = io.macfleet.proto.v1.AgentServiceGrpc.newBlockingStub(channel)
          .withCallCredentials(io.macfleet.controller.AgentChannels.nodeKey(goodKey));
      String noisyHost = noisy.enrollment().hostId;
      String goodHost = good.enrollment().hostId;
      Thread flood = new Thread(() -> {
        for (int i = 1; i <= 1000; i++) {
          try {
            noisyStub
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                .report(TestController.report(noisyHost, i, i % 2 == 0 ? longExtra : farFuture));
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
              refusedAsMalformed.incrementAndGet();
              firstRefusal.compareAndSet(null, e.getStatus().getDescription());
            }
          }
        }
      });
      flood.start();
      int refusedGood = 0;
      for (long seq = 1; seq <= 200; seq++) {
        long s = seq;
        if (code(() -> goodStub
                .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                .report(TestController.report(
                    goodHost, s, TestController.snapshot("mac-good", "0.32.15", "M4"))))
            != Status.Code.OK) {
          refusedGood++;
        }
      }
      flood.join(120_000);
      channel.shutdownNow();
      assertThat(refusedGood).as("the good host's reports refused").isZero();
      assertThat(c.server().reports().sequences(good.enrollment().hostId)).hasSize(200);
      assertThat(refusedAsMalformed.get()).isEqualTo(1000);
      assertThat(firstRefusal.get()).containsAnyOf("identity.os_extra", "snapshot.collected_at");
      assertThat(c.server().reports().sequences(noisy.enrollment().hostId)).isEmpty();
    }
  }
}
