package io.macfleet.agent.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.macfleet.agent.Fixtures;
import io.macfleet.proto.v1.Backend;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.OllamaState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The collector over real HTTP: captured Ollama responses, garbage, a hung server, nothing listening. */
class OllamaInventoryCollectorTest {
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(Map<String, String> bodies, int status, long delayMillis) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      try (ex) {
        if (delayMillis > 0) {
          Thread.sleep(delayMillis);
        }
        String body =
            bodies.getOrDefault(ex.getRequestURI().getPath(), "{\"error\":\"not found\"}");
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(
            bodies.containsKey(ex.getRequestURI().getPath()) ? status : 404, b.length);
        ex.getResponseBody().write(b);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Test
  void realCapturedResponsesOverHttp() throws Exception {
    String url = serve(
        Map.of(
            "/api/version", Fixtures.read("ollama/api-version.docs.json"),
            "/api/tags", Fixtures.read("ollama/api-tags.docs.json"),
            "/api/ps", Fixtures.read("ollama/api-ps.docs.json")),
        200,
        0);
    OllamaInventory inv = new OllamaInventoryCollector(new OllamaClient(url)).collect();
    assertThat(inv.getState()).isEqualTo(OllamaState.OLLAMA_UP);
    assertThat(inv.getVersion()).isEqualTo("0.5.1");
    assertThat(inv.getModelsList()).hasSize(3);
    assertThat(inv.getModelsList()).allMatch(m -> m.getBackend() == Backend.BACKEND_LLAMA_CPP);
  }

  @Test
  void garbageIsUnhealthyWithTheReason() throws Exception {
    String url = serve(
        Map.of("/api/version", "\u0000\u0001binary junk", "/api/tags", "{}", "/api/ps", "{}"),
        200,
        0);
    OllamaInventory inv = new OllamaInventoryCollector(new OllamaClient(url)).collect();
    assertThat(inv.getState()).isEqualTo(OllamaState.OLLAMA_UNHEALTHY);
    assertThat(inv.getError()).contains("/api/version");
    assertThat(inv.getModelsList()).isEmpty();
  }

  @Test
  void httpErrorsCarryOllamasMessage() throws Exception {
    String url = serve(Map.of("/api/version", "{\"error\":\"something broke\"}"), 500, 0);
    OllamaInventory inv = new OllamaInventoryCollector(new OllamaClient(url)).collect();
    assertThat(inv.getState()).isEqualTo(OllamaState.OLLAMA_UNHEALTHY);
    assertThat(inv.getError()).contains("HTTP 500").contains("something broke");
  }

  @Test
  void aHungOllamaTimesOutAsUnhealthy() throws Exception {
    String url = serve(Map.of("/api/version", "{\"version\":\"1\"}"), 200, 5000);
    long t0 = System.nanoTime();
    OllamaInventory inv = new OllamaInventoryCollector(
            new OllamaClient(url, Duration.ofSeconds(1), Duration.ofMillis(300)))
        .collect();
    assertThat(inv.getState()).isEqualTo(OllamaState.OLLAMA_UNHEALTHY);
    assertThat(inv.getError()).contains("did not answer").contains("hung");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void nothingListeningIsDown() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    OllamaInventory inv =
        new OllamaInventoryCollector(new OllamaClient("http://127.0.0.1:" + port)).collect();
    assertThat(inv.getState()).isEqualTo(OllamaState.OLLAMA_DOWN);
    assertThat(inv.getError()).contains("connection refused");
  }
}
