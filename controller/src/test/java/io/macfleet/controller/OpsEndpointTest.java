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
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void prometheusSeesHostsReportsRunsAndReadiness() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      int port = c.server().ops().orElseThrow().port();
      AgentState a = c.enroll(tmp.resolve("a"), "mac-a", "U1");
      c.enroll(tmp.resolve("b"), "mac-b", "U2");
      var stub = c.agentStub(a.nodeKey());
      stub.report(TestController.report(
          a.enrollment().hostId, 1, TestController.snapshot("mac-a", "0.19.0", "M4")));
      stub.report(TestController.report(
          a.enrollment().hostId, 1, TestController.snapshot("mac-a", "0.19.0", "M4")));
      assertThat(c.cli("replay", "mac-b", "--model", "m:1").code())
          .isEqualTo(7); // never connected: missed, and the exit code says a run did not succeed
      c.cli("hosts", "--token-file", tmp.resolve("nope").toString()); // a refused admin call

      HttpResponse<String> m = get(port, "/metrics", "GET");
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
      assertThat(m.body())
          .contains(
              "macfleet_hosts{status=\"online\"} 1.0",
              "macfleet_hosts{status=\"offline\"} 1.0",
              "macfleet_reports_total{outcome=\"stored\"} 1.0",
              "macfleet_reports_total{outcome=\"duplicate\"} 1.0",
              "macfleet_report_ack_seconds_count 2",
              "macfleet_runs_total{outcome=\"missed\"} 1.0",
              "macfleet_report_ack_seconds_bucket",
              "macfleet_auth_failures_total{endpoint=\"grpc\"}",
              // every label value from start, at 0, so that rate() and alerts see the first event
              "macfleet_runs_total{outcome=\"incomplete\"} 0.0",
              "macfleet_verdicts_total{kind=\"failure\"} 0.0",
              "macfleet_reports_refused_total{reason=\"out_of_sequence\"} 0.0",
              // the fleet's state
              "macfleet_hosts_ollama{state=\"up\"} 1.0",
              "macfleet_hosts_thermal{level=\"nominal\"}",
              "macfleet_drift_tags 0.0",
              "macfleet_hosts_failing_gate{gate=\"identity\"} 0.0",
              "macfleet_hosts_failing_gate{gate=\"concurrency\"} 0.0",
              "macfleet_hosts_failing_gate{gate=\"clients\"} 0.0",
              "macfleet_verdicts_newest{kind=\"software_regression\"} 0.0",
              // the JVM's and the process's own, and the build
              "jvm_memory_used_bytes",
              "jvm_gc_max_data_size_bytes",
              "process_cpu_usage",
              "process_uptime_seconds",
              "macfleet_build_info{");
      assertThat(m.body()).doesNotContain("# TYPE macfleet_auth_failures gauge");
      assertThat(get(port, "/healthz", "GET").body()).isEqualTo("ok\n");
      HttpResponse<String> ready = get(port, "/readyz", "GET");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).isEqualTo("ready\n");
      assertThat(get(port, "/metrics", "POST").statusCode()).isEqualTo(405);
    }
  }

  /** The attack: clients that open connections to the ops port and send nothing (or half a request). */
  @Test
  void idleAndHalfOpenClientsCannotKeepHealthzFromAnswering() throws Exception {
    try (TestController c = new TestController(tmp.resolve("ctl"))) {
      int port = c.server().ops().orElseThrow().port();
      java.util.List<java.net.Socket> idle = new java.util.ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
          if (i % 2 == 0) {
            s.getOutputStream()
                .write("GET /metrics HTTP/1.1\r\nHost: x\r\n".getBytes()); // never finished
            s.getOutputStream().flush();
          }
          idle.add(s);
        }
        HttpResponse<String> health = HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(2))
            .build()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(java.time.Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("ok\n");
      } finally {
        for (java.net.Socket s : idle) {
          s.close();
        }
      }
    }
  }
}
