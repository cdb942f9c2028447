package io.macfleet.agent.collect.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.Fixtures;
import io.macfleet.proto.v1.ClientKind;
import io.macfleet.proto.v1.Clients;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.ServerLogActivity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** server.log read incrementally and folded into Gate C's figures. */
class ServerLogTest {
  @TempDir
  Path dir;

  @Test
  void tenChatRequestsEndingWithinFiveSecondsWereNineAtOnce() throws Exception {
    ServerLogActivity a = ServerLogActivityFold.of(
        Fixtures.read("ollama/server-log/issue-9564.journald-parallel-chat.TRUNCATED.log")
            .lines()
            .toList(),
        ZoneOffset.UTC,
        "");
    assertThat(a.getRequests()).isEqualTo(10);
    // each request spans its latency back from the second it was logged: at 12:07:23 nine had
    // started and none ended
    assertThat(a.getMaxInFlight()).isEqualTo(9);
    assertThat(a.getPathsList()).singleElement().satisfies(p -> {
      assertThat(p.getPath()).isEqualTo("/api/chat");
      assertThat(p.getRequests()).isEqualTo(10);
    });
    assertThat(a.getFirst().getSeconds()).isEqualTo(1741349244L); // 2025-03-07T12:07:24Z
    assertThat(a.getLast().getSeconds()).isEqualTo(1741349249L);
  }

  @Test
  void requestsInFlightTogetherButLoggedInDifferentReadsStillCountTogether() throws Exception {
    List<String> lines = Fixtures.read(
            "ollama/server-log/issue-9564.journald-parallel-chat.TRUNCATED.log")
        .lines()
        .toList();
    ServerLogActivityFold.Recent recent = new ServerLogActivityFold.Recent();
    int most = 0;
    for (String line : lines) { // one line per read: each request alone in its read
      most = Math.max(
          most,
          ServerLogActivityFold.of(List.of(line), ZoneOffset.UTC, "", recent).getMaxInFlight());
    }
    assertThat(most).isEqualTo(9);
    // an earlier read's requests never count on their own: a read with nothing new is 0 at once
    assertThat(ServerLogActivityFold.of(List.of(), ZoneOffset.UTC, "", recent).getMaxInFlight())
        .isZero();
  }

  @Test
  void sequentialRequestsAreOneAtOnceAndServerErrorsAreCountedPerPath() throws Exception {
    ServerLogActivity mac = ServerLogActivityFold.of(
        Fixtures.read("ollama/server-log/issue-4623.darwin-parallel.TRUNCATED.log")
            .lines()
            .toList(),
        ZoneOffset.UTC,
        "");
    assertThat(mac.getRequests()).isEqualTo(5);
    assertThat(mac.getPathsList())
        .extracting(p -> p.getMethod() + " " + p.getPath())
        .containsExactlyInAnyOrder("HEAD /", "POST /api/show", "POST /api/generate");
    ServerLogActivity errors = ServerLogActivityFold.of(
        Fixtures.read("ollama/server-log/issue-8983.chat-500s-and-gin-debug.FRAGMENT.log")
            .lines()
            .toList(),
        ZoneOffset.UTC,
        "");
    assertThat(errors.getRequests()).isEqualTo(3);
    assertThat(errors.getServerErrors()).isEqualTo(2);
    assertThat(errors.getUnparsedLines()).isZero(); // [GIN-debug] lines are not requests
    // the two 500s overlap for certain; the 200 (ended 11:20:29.x) may have ended before the second
    // 500 began
    // (11:20:45.x - 16.2 s), so it is not counted with it
    assertThat(errors.getMaxInFlight()).isEqualTo(2);
    ServerLogActivity trunc = ServerLogActivityFold.of(
        Fixtures.read("ollama/server-log/issue-10368.truncating-input-prompt.log")
            .lines()
            .toList(),
        ZoneOffset.UTC,
        "");
    assertThat(trunc.getTruncatedPrompts()).isEqualTo(1);
    assertThat(trunc.getContextLimit()).isEqualTo(2048);
    assertThat(trunc.getLargestPromptTokens()).isEqualTo(5065);
  }

  @Test
  void theTailReadsOnlyWhatWasAppendedAndOnlyWholeLines() throws Exception {
    Path log = dir.resolve("server.log");
    List<String> real = Fixtures.read(
            "ollama/server-log/issue-9564.journald-parallel-chat.TRUNCATED.log")
        .lines()
        .toList();
    append(log, real.get(0) + "\n" + real.get(1) + "\n");
    ServerLogTail tail = new ServerLogTail(log, 1 << 20);
    assertThat(tail.read().lines()).hasSize(2);
    assertThat(tail.read().lines()).isEmpty();
    String third = real.get(2);
    append(log, third.substring(0, 20)); // Ollama is mid-write
    assertThat(tail.read().lines()).isEmpty();
    append(log, third.substring(20) + "\n" + real.get(3) + "\n");
    assertThat(tail.read().lines()).containsExactly(third, real.get(3));
  }

  @Test
  void aRotatedOrTruncatedLogIsReadFromItsNewStartAndSaysSo() throws Exception {
    Path log = dir.resolve("server.log");
    append(log, "line one\nline two\n");
    ServerLogTail tail = new ServerLogTail(log, 1 << 20);
    tail.read();
    Files.delete(log);
    append(log, "after rotation\n");
    ServerLogTail.Chunk c = tail.read();
    assertThat(c.lines()).containsExactly("after rotation");
    assertThat(c.note()).contains("rotated or truncated");
    Files.writeString(log, "x\n"); // truncated in place: shorter than the offset
    c = tail.read();
    assertThat(c.lines()).containsExactly("x");
    assertThat(c.note()).contains("rotated or truncated");
  }

  @Test
  void aFloodIsCappedPerReadAndAnOverlongLineIsDropped() throws Exception {
    Path log = dir.resolve("server.log");
    ServerLogTail tail = new ServerLogTail(log, 64 * 1024);
    append(log, "start\n");
    tail.read();
    StringBuilder flood = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      flood.append("[GIN] 2025/03/07 - 12:07:24 | 200 | 1s | 127.0.0.1 | POST \"/api/chat\"\n");
    }
    append(log, flood.toString());
    ServerLogTail.Chunk c = tail.read();
    assertThat(c.note()).startsWith("skipped ");
    assertThat(c.lines()).hasSizeLessThan(1000).allSatisfy(l -> assertThat(l).startsWith("[GIN]"));
    append(log, "y".repeat(ServerLogTail.MAX_LINE + 10) + "\nok\n");
    c = tail.read();
    assertThat(c.lines()).containsExactly("ok");
    assertThat(c.note()).contains("1 line(s) over");
  }

  @Test
  void oneViewFailingLeavesTheOtherStanding() throws Exception {
    Path log = dir.resolve("server.log");
    append(log, Fixtures.read("ollama/server-log/issue-10368.truncating-input-prompt.log"));
    ClientsCollector broken = new ClientsCollector(
        port -> {
          throw new io.macfleet.agent.collect.parse.UnrecognisedOutput("garbage");
        },
        Optional.of(new ServerLogTail(log, 1 << 20)),
        11434,
        ZoneOffset.UTC);
    Clients c = broken.collect();
    assertThat(c.getConnections().getOutcome()).isEqualTo(CollectorStatus.Outcome.FAILED);
    assertThat(c.getConnections().getMessage()).contains("unrecognised output: garbage");
    assertThat(c.getLogStatus().getOutcome()).isEqualTo(CollectorStatus.Outcome.OK);
    assertThat(c.getLog().getTruncatedPrompts()).isEqualTo(1);
    assertThat(c.getLog().getPaths(0).getPath()).isEqualTo("/api/embeddings");

    ClientsCollector missing = new ClientsCollector(
        port -> List.of(),
        Optional.of(new ServerLogTail(dir.resolve("nope.log"), 1 << 20)),
        11434,
        ZoneOffset.UTC);
    Clients m = missing.collect();
    assertThat(m.getConnections().getOutcome()).isEqualTo(CollectorStatus.Outcome.OK);
    assertThat(m.getLogStatus().getOutcome()).isEqualTo(CollectorStatus.Outcome.FAILED);
    assertThat(m.getLogStatus().getMessage()).contains("nope.log does not exist");
    assertThat(ClientKind.CLIENT_REMOTE.getNumber())
        .isEqualTo(4); // the wire numbers the controller reads
  }

  private static void append(Path f, String s) throws Exception {
    Files.writeString(
        f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
