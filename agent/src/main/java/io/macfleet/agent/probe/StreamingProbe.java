package io.macfleet.agent.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One streaming request to /api/generate or /api/chat, timed chunk by chunk on a monotonic clock. A
 * watchdog closes the stream when no first token arrives in time (HUNG) or the total time runs out.
 */
public final class StreamingProbe {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "probe-watchdog");
    t.setDaemon(true);
    return t;
  });

  private final URI base;
  private final HttpClient http;

  public StreamingProbe(String baseUrl) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    // callbacks on the selector thread itself: fewer hand-offs between a chunk arriving and its timestamp
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run)
        .connectTimeout(java.time.Duration.ofSeconds(5)).build();
  }

  /** The request body: reproducible options, recorded with the run. */
  public static ObjectNode body(ProbeOptions o, String prompt) {
    ObjectNode b = JSON.createObjectNode();
    b.put("model", o.model()).put("stream", true).put("keep_alive", "10m");
    if ("chat".equals(o.api())) {
      b.putArray("messages").addObject().put("role", "user").put("content", prompt);
    } else {
      b.put("prompt", prompt).put("raw", true);
    }
    b.put("think", o.think());
    b.putObject("options").put("seed", o.seed()).put("temperature", 0).put("num_predict", o.numPredict())
        .put("num_ctx", o.numCtx());
    return b;
  }

  public ProbeSample run(ProbeOptions o, String prompt, int concurrency, int stream, int ordinal, String phase) {
    String path = "chat".equals(o.api()) ? "/api/chat" : "/api/generate";
    HttpRequest req;
    try {
      req = HttpRequest.newBuilder(base.resolve(path)).timeout(o.firstTokenTimeout())
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body(o, prompt)))).build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Timing t = new Timing(concurrency, stream, ordinal, phase);
    t.sent = System.nanoTime();
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      return t.fail(ErrorClass.HUNG, "no response within " + o.firstTokenTimeout().toMillis() + " ms");
    } catch (ConnectException e) {
      return t.fail(ErrorClass.REFUSED, "nothing listening at " + base);
    } catch (IOException e) {
      return t.fail(e.getCause() instanceof ConnectException ? ErrorClass.REFUSED : ErrorClass.PROTOCOL,
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return t.fail(ErrorClass.PROTOCOL, "interrupted");
    }
    if (resp.statusCode() != 200) {
      String msg = errorText(resp);
      ErrorClass c = switch (resp.statusCode()) {
        case 404 -> ErrorClass.MODEL_MISSING;
        case 503 -> ErrorClass.QUEUE_FULL;
        default -> ErrorClass.HTTP_ERROR;
      };
      return t.fail(c, "HTTP " + resp.statusCode() + (msg.isEmpty() ? "" : ": " + msg));
    }
    AtomicBoolean firstSeen = new AtomicBoolean();
    AtomicBoolean timedOut = new AtomicBoolean();
    InputStream body = resp.body();
    ScheduledFuture<?> hung = WATCHDOG.schedule(() -> {
      if (!firstSeen.get()) {
        timedOut.set(true);
        close(body);
      }
    }, o.firstTokenTimeout().toNanos() - (System.nanoTime() - t.sent), TimeUnit.NANOSECONDS);
    ScheduledFuture<?> total = WATCHDOG.schedule(() -> {
      timedOut.set(true);
      close(body);
    }, o.totalTimeout().toNanos(), TimeUnit.NANOSECONDS);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        long now = System.nanoTime();
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = JSON.readTree(line);
        } catch (IOException e) {
          return t.fail(ErrorClass.PROTOCOL, "not a JSON line: " + cut(line));
        }
        if (n.has("error")) {
          return t.fail(ErrorClass.MIDSTREAM_ERROR, n.path("error").asText());
        }
        String text = "chat".equals(o.api()) ? n.path("message").path("content").asText("")
            : n.path("response").asText("");
        String thinking = "chat".equals(o.api()) ? n.path("message").path("thinking").asText("")
            : n.path("thinking").asText("");
        if (!text.isEmpty() || !thinking.isEmpty()) {
          t.chunk(now);
          firstSeen.set(true);
        }
        if (n.path("done").asBoolean(false)) {
          t.end = now;
          return t.done(n);
        }
      }
      if (timedOut.get()) {
        return firstSeen.get() ? t.fail(ErrorClass.TIMEOUT, "no done within " + o.totalTimeout().toSeconds() + " s")
            : t.fail(ErrorClass.HUNG, "no first token within " + o.firstTokenTimeout().toMillis() + " ms");
      }
      return t.fail(ErrorClass.NO_DONE, "the stream ended after " + t.chunks.size() + " chunk(s) without done");
    } catch (IOException e) {
      if (timedOut.get()) {
        return firstSeen.get() ? t.fail(ErrorClass.TIMEOUT, "no done within " + o.totalTimeout().toSeconds() + " s")
            : t.fail(ErrorClass.HUNG, "no first token within " + o.firstTokenTimeout().toMillis() + " ms");
      }
      return t.fail(ErrorClass.NO_DONE, "the stream broke: " + e.getMessage());
    } finally {
      hung.cancel(false);
      total.cancel(false);
    }
  }

  private static void close(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // closing is the point
    }
  }

  private static String errorText(HttpResponse<InputStream> resp) {
    try (InputStream in = resp.body()) {
      String s = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      try {
        JsonNode n = JSON.readTree(s);
        if (n != null && n.has("error")) {
          return n.path("error").asText();
        }
      } catch (IOException notJson) {
        // fall through to the raw text
      }
      return cut(s.strip());
    } catch (IOException e) {
      return "";
    }
  }

  private static String cut(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  /** Arrival times of one request, turned into a sample. */
  private static final class Timing {
    final int concurrency;
    final int stream;
    final int ordinal;
    final String phase;
    long sent;
    final String at = java.time.Instant.now().toString();
    long end;
    final List<Long> chunks = new ArrayList<>();

    Timing(int concurrency, int stream, int ordinal, String phase) {
      this.concurrency = concurrency;
      this.stream = stream;
      this.ordinal = ordinal;
      this.phase = phase;
    }

    void chunk(long at) {
      chunks.add(at);
    }

    Double ttft() {
      return chunks.isEmpty() ? null : (chunks.get(0) - sent) / 1e6;
    }

    List<Double> gaps() {
      List<Double> g = new ArrayList<>();
      for (int i = 1; i < chunks.size(); i++) {
        g.add((chunks.get(i) - chunks.get(i - 1)) / 1e6);
      }
      return g;
    }

    ProbeSample fail(ErrorClass c, String message) {
      long now = System.nanoTime();
      List<Double> g = gaps();
      return new ProbeSample(concurrency, stream, ordinal, phase, at, ttft(), (now - sent) / 1e6,
          Percentiles.of(g, 50), Percentiles.of(g, 95), chunks.size(), 0, 0, 0, 0, 0, 0, null, null, null, "", c,
          message);
    }

    ProbeSample done(JsonNode n) {
      long load = n.path("load_duration").asLong(0);
      int pCount = n.path("prompt_eval_count").asInt(0);
      long pDur = n.path("prompt_eval_duration").asLong(0);
      int eCount = n.path("eval_count").asInt(0);
      long eDur = n.path("eval_duration").asLong(0);
      long total = n.path("total_duration").asLong(0);
      Double prefill = pCount > 0 && pDur > 0 ? pCount / (pDur / 1e9) : null;
      Double decode = eCount > 0 && eDur > 0 ? eCount / (eDur / 1e9) : null;
      Double queue = total > 0 ? Math.max(0, total - load - pDur - eDur) / 1e6 : null;
      List<Double> g = gaps();
      return new ProbeSample(concurrency, stream, ordinal, phase, at, ttft(), (end - sent) / 1e6, Percentiles.of(g, 50),
          Percentiles.of(g, 95), chunks.size(), load, pCount, pDur, eCount, eDur, total, prefill, decode, queue,
          n.path("done_reason").asText(""), chunks.isEmpty() && eCount > 0 ? ErrorClass.PROTOCOL : ErrorClass.NONE,
          chunks.isEmpty() && eCount > 0 ? "done without any content chunk" : "");
    }
  }
}
