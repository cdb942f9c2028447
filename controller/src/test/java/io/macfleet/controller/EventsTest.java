package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.macfleet.agent.link.AgentState;
import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.LidState;
import io.macfleet.proto.v1.Mobility;
import io.macfleet.proto.v1.PowerSource;
import io.macfleet.proto.v1.Telemetry;
import io.macfleet.proto.v1.ThermalLevel;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telemetry rides in reports; the controller turns changes into events and shows them. */
class EventsTest {
  @TempDir
  Path tmp;

  static HostSnapshot with(ThermalLevel thermal, PowerSource power, Mobility mobility, long wake) {
    HostSnapshot s = TestController.snapshot("mac-laptop", "0.32.15", "M4");
    Telemetry.Builder t = Telemetry.newBuilder();
    t.getThermalBuilder().setLevel(thermal).setSource("notifyutil");
    t.getPowerBuilder()
        .setSource(power)
        .setHasBattery(true)
        .setBatteryPercent(power == PowerSource.POWER_AC ? 100 : 77);
    t.getSleepBuilder()
        .setMobility(mobility)
        .setLid(LidState.LID_OPEN)
        .setLastWake(Timestamp.newBuilder().setSeconds(wake))
        .setWakeReason("EC.LidOpen");
    t.getMemoryBuilder().setSwapUsedBytes(768L << 20).setSwapTotalBytes(2048L << 20);
    return s.toBuilder().setTelemetry(t).build();
  }

  @Test
  void changesOfThermalPowerAndWakeBecomeEvents() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      AgentState a = c.enroll(tmp.resolve("a"), "mac-laptop", "U");
      String host = a.enrollment().hostId;
      var stub = c.agentStub(a.nodeKey());
      long wake1 = Instant.now().minusSeconds(3600).getEpochSecond();
      long wake2 = Instant.now().minusSeconds(60).getEpochSecond();
      stub.report(TestController.report(
          host,
          1,
          with(
              ThermalLevel.THERMAL_NOMINAL,
              PowerSource.POWER_AC,
              Mobility.MOBILITY_DOCKED,
              wake1)));
      stub.report(TestController.report(
          host,
          2,
          with(
              ThermalLevel.THERMAL_HEAVY,
              PowerSource.POWER_BATTERY,
              Mobility.MOBILITY_MOBILE,
              wake2)));
      stub.report(TestController.report(
          host,
          2,
          with(
              ThermalLevel.THERMAL_HEAVY,
              PowerSource.POWER_BATTERY,
              Mobility.MOBILITY_MOBILE,
              wake2))); // a duplicate adds nothing

      var table = c.cli("events", "mac-laptop");
      assertThat(table.code()).as(table.err()).isZero();
      assertThat(table.out())
          .contains(
              "thermal",
              "nominal → heavy",
              "power",
              "ac → battery",
              "battery 77%",
              "mobility",
              "docked → mobile",
              "wake",
              "reason EC.LidOpen");
      JsonNode j =
          new ObjectMapper().readTree(c.cli("events", "--json", "--since", "2h").out());
      assertThat(j).hasSize(4);
      assertThat(j.get(0).path("kind").asText()).isEqualTo("wake"); // oldest first
      assertThat(c.cli("events", "--since", Instant.now().plusSeconds(3600).toString())
              .out())
          .startsWith("no events");
      assertThat(c.cli("events", "--since", "yesterday").code()).isEqualTo(2);
      assertThat(c.cli("events", "nobody").code()).isEqualTo(5);

      var hosts = c.cli("hosts");
      assertThat(hosts.out())
          .contains(
              "THERMAL", "POWER", "DOCK", "SWAP", "heavy", "battery 77%", "mobile", "768 MiB");
      var detail = c.cli("host", "mac-laptop");
      assertThat(detail.out())
          .contains(
              "thermal",
              "heavy (notifyutil)",
              "battery 77%",
              "swap 768 MiB used of 2 GiB",
              "lid open");
    }
  }
}
