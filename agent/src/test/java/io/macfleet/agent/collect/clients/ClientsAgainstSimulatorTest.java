package io.macfleet.agent.collect.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.proto.v1.Client;
import io.macfleet.proto.v1.ClientKind;
import io.macfleet.proto.v1.Clients;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.simulator.OllamaSimulator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gate C end to end on this machine: callers streaming from the Ollama simulator are found in the live /proc, and
 * the server.log it writes in Ollama's format gives their concurrency and a truncated prompt.
 */
class ClientsAgainstSimulatorTest {
  @TempDir
  Path dir;

  @Test
  void fourStreamsAtOnceAndAnOverlongPromptAreSeen() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
    Path profile = dir.resolve("profile.json");
    Files.writeString(
        profile,
        "{\"version\":\"0.32.15\",\"models\":[{\"name\":\"llama3.2:latest\",\"digest\":\""
            + "a".repeat(64) + "\",\"format\":\"gguf\",\"loaded\":true,\"context_length\":64}],"
            + "\"timing\":{\"decode_tokens_per_s\":20,\"num_parallel\":4}}");
    Path log = dir.resolve("server.log");
    try (OllamaSimulator sim = OllamaSimulator.start(profile, 0, log)) {
      ClientsCollector collector = new ClientsCollector(
          new ProcConnections(Path.of("/proc")),
          Optional.of(new ServerLogTail(log, 1 << 20)),
          sim.port(),
          ZoneId.systemDefault());
      collector.collect(); // starts the tail at the log's current end
      HttpClient http =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      List<CompletableFuture<HttpResponse<InputStream>>> streams = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        streams.add(http.sendAsync(
            generate(sim, "hello " + i, 60), HttpResponse.BodyHandlers.ofInputStream()));
      }
      // the first token of each: all four connections are open, each streaming for 3 s
      for (var s : streams) {
        s.get().body().read();
      }
      Clients during = collector.collect();
      assertThat(during.getConnections().getOutcome()).isEqualTo(CollectorStatus.Outcome.OK);
      Client me = during.getClientsList().stream()
          .filter(c -> c.getPid() == ProcessHandle.current().pid())
          .findFirst()
          .orElseThrow();
      assertThat(me.getConnections()).isGreaterThanOrEqualTo(4);
      assertThat(me.getKind()).isEqualTo(ClientKind.CLIENT_AUTOMATION);
      for (var s : streams) {
        s.get().body().readAllBytes();
      }
      http.send(generate(sim, "x".repeat(1000), 2), HttpResponse.BodyHandlers.ofString());
      Thread.sleep(200); // Gin logs when the handler returns
      Clients after = collector.collect();
      assertThat(after.getLogStatus().getOutcome()).isEqualTo(CollectorStatus.Outcome.OK);
      assertThat(after.getLog().getRequests()).isEqualTo(5);
      assertThat(after.getLog().getMaxInFlight()).isEqualTo(4);
      assertThat(after.getLog().getTruncatedPrompts()).isEqualTo(1);
      assertThat(after.getLog().getContextLimit()).isEqualTo(64);
      assertThat(after.getLog().getLargestPromptTokens()).isEqualTo(250);
      assertThat(after.getLog().getUnparsedLines()).isZero();
      assertThat(collector.collect().getLog().getRequests()).isZero(); // each line counted once
    }
  }

  private static HttpRequest generate(OllamaSimulator sim, String prompt, int tokens) {
    return HttpRequest.newBuilder(URI.create(sim.url() + "/api/generate"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"llama3.2:latest\",\"prompt\":\""
            + prompt + "\",\"options\":{\"num_predict\":" + tokens + "}}"))
        .build();
  }
}
