package io.macfleet.controller.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.interchange.RunPurpose;
import io.macfleet.controller.store.RunStatus;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RunSummariesTest {
  @Test
  void everyRunStatusAndPurposeHasItsOwnValueOnTheWire() {
    assertThat(Arrays.stream(RunStatus.values()).map(RunSummaries::status))
        .doesNotContain(io.macfleet.proto.v1.RunStatus.RUN_STATUS_UNSPECIFIED)
        .doesNotHaveDuplicates()
        .hasSize(
            io.macfleet.proto.v1.RunStatus.values().length - 2); // less UNSPECIFIED, UNRECOGNIZED
    assertThat(Arrays.stream(RunPurpose.values()).map(p -> RunSummaries.purpose(p.wire())))
        .doesNotContain(io.macfleet.proto.v1.RunPurpose.RUN_PURPOSE_UNSPECIFIED)
        .doesNotHaveDuplicates()
        .hasSize(io.macfleet.proto.v1.RunPurpose.values().length - 2);
    assertThat(RunSummaries.purpose("nonsense"))
        .isEqualTo(io.macfleet.proto.v1.RunPurpose.RUN_PURPOSE_UNSPECIFIED);
  }
}
