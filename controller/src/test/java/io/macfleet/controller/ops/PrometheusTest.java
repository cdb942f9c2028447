package io.macfleet.controller.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.link.AgentState;
import io.macfleet.controller.TestController;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real Prometheus (the `prometheus` package, which .ci/run installs) scrapes a running controller, and its
 * HTTP API answers queries on macfleet series; promtool accepts the shipped alerting rules and Prometheus loads
 * them. Off CI without Prometheus installed the test is skipped; in CI it fails instead.
 */
class PrometheusTest {
  private static final Path RULES = Path.of("../ops/prometheus/macfleet-rules.yml");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  private static Path tool(String name) {
    Path p = Path.of("/usr/bin", name);
    if (!Files.isExecutable(p) && System.getenv("CI") != null) {
      throw new AssertionError("CI must provide " + p + " (Debian's prometheus package; .ci/run)");
    }
    Assumptions.assumeTrue(Files.isExecutable(p), name + " is not installed: skipped");
    return p;
  }

  @Test
  void promtoolAcceptsTheShippedRules() throws Exception {
    Process p = new ProcessBuilder(tool("promtool").toString(), "check", "rules", RULES.toString())
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("SUCCESS");
  }

  @Test
  void aRealPrometheusScrapesTheControllerAndAnswersQueriesOnItsSeries() throws Exception {
    Path prometheus = tool("prometheus");
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      int metrics = c.server().ops().orElseThrow().port();
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "U1");
      c.agentStub(a.nodeKey())
          .report(TestController.report(
              a.enrollment().hostId, 1, TestController.snapshot("mac-a", "0.19.0", "M4")));
      int web = freePort();
      Path config = tmp.resolve("prometheus.yml");
      Files.copy(RULES, tmp.resolve("macfleet-rules.yml"));
      Files.writeString(
          config,
          "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
              + "rule_files:\n  - macfleet-rules.yml\n"
              + "scrape_configs:\n  - job_name: macfleet\n    static_configs:\n"
              + "      - targets: ['127.0.0.1:" + metrics + "']\n");
      List<String> cmd = new ArrayList<>(List.of(
          prometheus.toString(),
          "--config.file=" + config,
          "--storage.tsdb.path=" + tmp.resolve("data"),
          "--web.listen-address=127.0.0.1:" + web));
      Process p = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(tmp.resolve("prometheus.log").toFile())
          .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> query(http, web, "macfleet_hosts{status=\"online\"}").size() == 1);
        JsonNode online = query(http, web, "macfleet_hosts{status=\"online\"}").get(0);
        assertThat(online.path("metric").path("job").asText()).isEqualTo("macfleet");
        assertThat(online.path("value").get(1).asText()).isEqualTo("1");
        assertThat(query(http, web, "macfleet_build_info")).hasSize(1);
        assertThat(query(http, web, "macfleet_runs_total{outcome=\"missed\"}")).hasSize(1);
        assertThat(query(http, web, "up{job=\"macfleet\"}")
                .get(0)
                .path("value")
                .get(1)
                .asText())
            .isEqualTo("1");
        // the rules loaded and are evaluated against the controller's series
        JsonNode rules = JSON.readTree(get(http, web, "/api/v1/rules"));
        assertThat(rules.path("data").path("groups").get(0).path("rules"))
            .extracting(r -> r.path("name").asText())
            .contains("MacfleetHostOffline", "MacfleetFailure", "MacfleetSoftwareRegression");
      } catch (Throwable t) {
        throw new AssertionError(
            t.getMessage() + "\nprometheus.log:\n"
                + Files.readString(tmp.resolve("prometheus.log")),
            t);
      } finally {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  private static List<JsonNode> query(HttpClient http, int port, String promql) throws Exception {
    JsonNode r = JSON.readTree(get(
        http, port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    List<JsonNode> out = new ArrayList<>();
    r.path("data").path("result").forEach(out::add);
    return out;
  }

  private static String get(HttpClient http, int port, String path) throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
