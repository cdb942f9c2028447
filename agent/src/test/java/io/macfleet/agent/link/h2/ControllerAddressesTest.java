package io.macfleet.agent.link.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Controller addresses: one, or several for failover; anything else refused before a connection is tried. */
class ControllerAddressesTest {
  @Test
  void oneOrSeveralHostPortsAreAcceptedAndNothingElse() {
    assertThatCode(() -> ControllerAddresses.validate("ctl-a.example:7443"))
        .doesNotThrowAnyException();
    assertThatCode(() -> ControllerAddresses.validate("ctl-a:7443,ctl-b:7443,[::1]:7443"))
        .doesNotThrowAnyException();
    for (String bad : new String[] {
      "http://ctl:7443",
      "ctl",
      "ctl-a:7443,",
      ",ctl-a:7443",
      "ctl-a:7443 ctl-b:7443",
      "ctl:7443\nX: y"
    }) {
      assertThatThrownBy(() -> ControllerAddresses.validate(bad))
          .as(bad)
          .hasMessageContaining("must be HOST:PORT");
    }
    assertThatThrownBy(() -> ControllerAddresses.validate("ctl:99999"))
        .hasMessageContaining("1 to 65535");
  }

  @Test
  void loopbackIsDecidedFromTheAddressAsWritten() {
    assertThat(ControllerAddresses.isLoopback("localhost:7443")).isTrue();
    assertThat(ControllerAddresses.isLoopback("127.0.0.1:7443")).isTrue();
    assertThat(ControllerAddresses.isLoopback("[::1]:7443")).isTrue();
    assertThat(ControllerAddresses.isLoopback("10.1.2.3:7443")).isFalse();
    assertThat(ControllerAddresses.isLoopback("localhost.evil.example:7443")).isFalse();
  }
}
