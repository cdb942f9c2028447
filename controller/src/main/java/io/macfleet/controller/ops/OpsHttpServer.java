package io.macfleet.controller.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The controller's operations port: GET /metrics (Prometheus text), /healthz (the process answers) and
 * /readyz (the database answers and the scheduler runs: 503 with the reasons otherwise). Read-only, no secrets.
 */
public final class OpsHttpServer implements AutoCloseable {
  static {
    // The JDK server's own limits, read once when its first server starts: a request must arrive
    // whole within
    // 5 s and an answer go out within 30 s, and an idle connection is closed after 30 s. Without
    // them a client
    // that opens a socket and sends nothing holds a worker for good.
    setIfAbsent("sun.net.httpserver.maxReqTime", "5");
    setIfAbsent("sun.net.httpserver.maxRspTime", "30");
    setIfAbsent("sun.net.httpserver.idleInterval", "30");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private final HttpServer server;
  /**
   * Up to 64 workers, started as needed and ended after 30 s idle: the JDK server reads a request's headers on a
   * worker, so each client that sends half a request holds one until maxReqTime. 20 such sockets did keep /healthz
   * from answering with 8 workers (bench/abuse.sh); a scrape needs one.
   */
  private final ExecutorService executor = workers();

  private static ExecutorService workers() {
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
        64,
        64,
        30,
        java.util.concurrent.TimeUnit.SECONDS,
        new java.util.concurrent.LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "ops-http");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** readiness: the reasons the controller is not ready, empty when it is. */
  public OpsHttpServer(
      String host, int port, ControllerMetrics metrics, Supplier<List<String>> readiness)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext(
        "/metrics",
        ex -> send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
    server.createContext("/healthz", ex -> send(ex, 200, "text/plain", "ok\n"));
    server.createContext("/readyz", ex -> {
      List<String> why = readiness.get();
      send(
          ex,
          why.isEmpty() ? 200 : 503,
          "text/plain",
          why.isEmpty() ? "ready\n" : String.join("\n", why) + "\n");
    });
    server.setExecutor(executor);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        status = 405;
        body = "GET only\n";
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      ex.sendResponseHeaders(status, ex.getRequestMethod().equals("HEAD") ? -1 : b.length);
      if (!ex.getRequestMethod().equals("HEAD")) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
