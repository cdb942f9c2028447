package io.macfleet.controller.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.macfleet.proto.v1.Client;
import io.macfleet.proto.v1.ClientKind;
import io.macfleet.proto.v1.Clients;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.PathRequests;
import io.macfleet.proto.v1.ServerLogActivity;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The interchange's clients record: from an agent's report, to a line and back, folded over a window. */
class ClientsRecordTest {
  private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  private static Clients report(boolean logRead) {
    return Clients.newBuilder()
        .addClients(Client.newBuilder()
            .setName("python3")
            .setKind(ClientKind.CLIENT_AUTOMATION)
            .setPid(4824)
            .setConnections(3))
        .addClients(Client.newBuilder()
            .setName("10.0.0.123")
            .setKind(ClientKind.CLIENT_REMOTE)
            .setPeer("10.0.0.123")
            .setConnections(1))
        .setLog(ServerLogActivity.newBuilder()
            .setRequests(10)
            .setServerErrors(2)
            .setMaxInFlight(9)
            .setTruncatedPrompts(1)
            .setContextLimit(2048)
            .setLargestPromptTokens(5065)
            .addPaths(PathRequests.newBuilder()
                .setMethod("POST")
                .setPath("/api/chat")
                .setRequests(10)
                .setServerErrors(2)))
        .setLogStatus(CollectorStatus.newBuilder()
            .setOutcome(
                logRead ? CollectorStatus.Outcome.OK : CollectorStatus.Outcome.NOT_APPLICABLE))
        .build();
  }

  @Test
  void anAgentsReportBecomesARecordThatSurvivesALine() throws Exception {
    Records.Clients c = ClientsMapper.of("mac-a", AT, report(true)).orElseThrow();
    assertThat(c.connections()).isEqualTo(4);
    assertThat(c.maxInFlight()).isEqualTo(9);
    assertThat(c.callers())
        .extracting(Records.Caller::kind)
        .containsExactly("automation", "remote");
    assertThat(c.callers().get(1).pid()).isNull();
    String line = RecordWriter.line(c);
    assertThat(line).startsWith("{\"kind\":\"clients\",\"host\":\"mac-a\"");
    assertThat(RecordParser.parse(1, line)).contains(c);
    // no log read: concurrency was not measured, which is not zero
    assertThat(ClientsMapper.of("mac-a", AT, report(false)).orElseThrow().maxInFlight())
        .isNull();
    assertThat(ClientsMapper.of("mac-a", AT, Clients.getDefaultInstance())).isEmpty();
  }

  @Test
  void aHostileRecordIsRefusedWithItsLineAndField() {
    String many =
        "{\"kind\":\"clients\",\"host\":\"h\",\"at\":\"2026-12-01T10:00:00Z\",\"clients\":["
            + "{\"name\":\"x\"},".repeat(RecordParser.MAX_CALLERS) + "{\"name\":\"x\"}]}";
    assertThatThrownBy(() -> RecordParser.parse(7, many))
        .isInstanceOf(InterchangeException.class)
        .hasMessageContaining("line 7")
        .hasMessageContaining("\"clients\" has 65 entries; at most 64");
    String forged = "{\"kind\":\"clients\",\"host\":\"h\",\"at\":\"2026-12-01T10:00:00Z\","
        + "\"clients\":[{\"name\":\"curl\\u001b]0;owned\\u0007\"}]}";
    assertThatThrownBy(() -> RecordParser.parse(3, forged))
        .hasMessageContaining("\"name\" contains a control character");
    String negative = "{\"kind\":\"clients\",\"host\":\"h\",\"at\":\"2026-12-01T10:00:00Z\","
        + "\"max_in_flight\":-2}";
    assertThatThrownBy(() -> RecordParser.parse(4, negative))
        .hasMessageContaining("\"max_in_flight\" must not be negative");
    String kind = "{\"kind\":\"clients\",\"host\":\"h\",\"at\":\"2026-12-01T10:00:00Z\","
        + "\"clients\":[{\"name\":\"x\",\"kind\":\"robot\"}]}";
    assertThatThrownBy(() -> RecordParser.parse(5, kind))
        .hasMessageContaining("\"kind\" must be one of");
  }

  @Test
  void aWindowTakesEachCallersMostConnectionsAndTheMostAtOnce() {
    Records.Clients a = ClientsMapper.of("mac-a", AT, report(true)).orElseThrow();
    Records.Clients b = new Records.Clients(
        "mac-a",
        AT.plusSeconds(60),
        5,
        4,
        0,
        null,
        0,
        2,
        null,
        null,
        List.of(new Records.Caller("python3", "automation", 4824, 5, null)),
        List.of(new Records.PathCount("POST", "/api/chat", 4, 0)));
    ClientsWindow w = ClientsWindow.of(List.of(a, b));
    assertThat(w.observations()).isEqualTo(2);
    assertThat(w.lastObserved()).isEqualTo(AT.plusSeconds(60));
    assertThat(w.maxInFlight()).isEqualTo(9);
    assertThat(w.requests()).isEqualTo(14);
    assertThat(w.truncatedPrompts() + w.truncatedMessages()).isEqualTo(3);
    assertThat(w.callers()).extracting(Records.Caller::connections).containsExactly(5, 1);
    assertThat(w.paths()).singleElement().satisfies(p -> {
      assertThat(p.requests()).isEqualTo(14);
      assertThat(p.serverErrors()).isEqualTo(2);
    });
    assertThat(ClientsWindow.of(List.of()).maxInFlight()).isNull();
  }
}
