package io.macfleet.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The agent's log line: UTC time, thread, level, logger, message; one event stays one line whatever it carries. */
class AgentLoggerTest {
  @Test
  void aLineSaysWhenWhoAndWhatInUtc() {
    assertThat(AgentLogger.line(
            Instant.parse("2026-12-06T15:55:05.340123Z"),
            "agent-sender",
            Level.WARN,
            "ReportSender",
            "spool full"))
        .isEqualTo("2026-12-06T15:55:05.340Z [agent-sender] WARN ReportSender - spool full");
    assertThat(AgentLogger.utc(Instant.parse("2027-01-02T03:04:05Z")))
        .isEqualTo("2027-01-02T03:04:05.000Z");
  }

  @Test
  void hostileTextCannotForgeALineOrMoveTheCursor() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AgentLogger log = new AgentLogger(
        "io.macfleet.agent.link.ReportSender", Level.INFO, new PrintStream(bytes, true));
    // a controller's status message or a server.log line, as a hostile peer would write it
    log.warn(
        "refused: {}",
        "bad\n2026-12-06T00:00:00.000Z [main] INFO AgentDaemon - forged\r\u001b[2J\u0085");
    log.debug("not at info: {}", "hidden");
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out.lines()).hasSize(1);
    assertThat(out)
        .contains(
            "WARN ReportSender - refused: bad\\n2026-12-06T00:00:00.000Z [main] INFO AgentDaemon - forged\\r")
        .contains("\\u001b[2J\\u0085")
        .doesNotContain("hidden");
  }

  @Test
  void aStackTraceFollowsItsLineAndTheLevelComesFromTheProperty() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    AgentLogger log =
        new AgentLogger("x.Y", AgentLogProvider.level("debug"), new PrintStream(bytes, true));
    log.debug("shown at debug");
    log.error("failed", new IllegalStateException("boom"));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("DEBUG Y - shown at debug")
        .contains(
            "ERROR Y - failed" + System.lineSeparator() + "java.lang.IllegalStateException: boom");
    assertThat(AgentLogProvider.level("nonsense")).isEqualTo(Level.INFO);
  }
}
