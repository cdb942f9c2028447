package io.macfleet.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.agent.link.AgentState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics, /healthz and /readyz on a real controller, over real HTTP, after real reports and runs. */
class OpsEndpointTest {
  @TempDir
  Path tmp;

  private static HttpResponse<String> get(int port, String path, String method) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void prometheusSeesHostsReportsRunsAndReadiness() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      int port = c.server().ops().orElseThrow().port();
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "U1");
      c.enroll(tmp.resolve("b"), "mac-b", "U2");
      var stub = c.agentStub(a.nodeKey());
      stub.report(TestController.report(a.enrollment().hostId, 1, TestController.snapshot("mac-a", "0.19.0", "M4")));
      stub.report(TestController.report(a.enrollment().hostId, 1, TestController.snapshot("mac-a", "0.19.0", "M4")));
      assertThat(c.cli("replay", "mac-b", "--model", "m:1").code()).isZero(); // never connected: missed
      c.cli("hosts", "--token-file", tmp.resolve("nope").toString()); // a refused admin call

      HttpResponse<String> m = get(port, "/metrics", "GET");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(m.body()).contains("macfleet_hosts{status=\"online\"} 1.0", "macfleet_hosts{status=\"offline\"} 1.0",
          "macfleet_reports_total{outcome=\"stored\"} 1.0", "macfleet_reports_total{outcome=\"duplicate\"} 1.0",
          "macfleet_report_ack_seconds_count 2", "macfleet_runs_total{outcome=\"missed\"} 1.0",
          "macfleet_report_ack_seconds_bucket", "macfleet_auth_failures{endpoint=\"grpc\"}");
      assertThat(get(port, "/healthz", "GET").body()).isEqualTo("ok\n");
      HttpResponse<String> ready = get(port, "/readyz", "GET");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ready\n");
      assertThat(get(port, "/metrics", "POST").statusCode()).isEqualTo(405);
    }
  }
}
