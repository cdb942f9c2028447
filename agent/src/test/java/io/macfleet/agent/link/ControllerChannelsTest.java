package io.macfleet.agent.link;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Controller addresses: one, or several for failover; anything else refused before gRPC sees it. */
class ControllerChannelsTest {
  @Test
  void oneOrSeveralHostPortsAreAcceptedAndNothingElse() {
    assertThatCode(() -> ControllerChannels.validateTarget("ctl-a.example:7443"))
        .doesNotThrowAnyException();
    assertThatCode(() -> ControllerChannels.validateTarget("ctl-a:7443,ctl-b:7443,[::1]:7443"))
        .doesNotThrowAnyException();
    for (String bad : new String[] {
      "http://ctl:7443", "ctl", "ctl-a:7443,", ",ctl-a:7443", "ctl-a:7443 ctl-b:7443"
    }) {
      assertThatThrownBy(() -> ControllerChannels.validateTarget(bad))
          .as(bad)
          .hasMessageContaining("must be HOST:PORT");
    }
  }
}
