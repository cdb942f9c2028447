package io.macfleet.agent.probe;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.macfleet.agent.json.JsonTree;
import io.macfleet.agent.ollama.TimedHttpExchange;
import io.macfleet.shared.Quantiles;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * One streaming request to /api/generate or /api/chat, timed chunk by chunk on a monotonic clock at the
 * socket. Read deadlines end a stream when no first token arrives in time (HUNG) or the total time runs out.
 */
public final class StreamingProbe {
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  /** Builds the request body (recorded with the run); the stream's lines are read with JsonTree. */
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;

  public StreamingProbe(String baseUrl) {
    this.base =
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
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
    b.putObject("options")
        .put("seed", o.seed())
        .put("temperature", 0)
        .put("num_predict", o.numPredict())
        .put("num_ctx", o.numCtx());
    return b;
  }

  /** The exchanges in flight, so that a cancelled run can close them instead of waiting out their timeouts. */
  private final java.util.Set<TimedHttpExchange> inFlight =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Closes every request in flight: each ends at once as a failed sample. */
  public void abortAll() {
    for (TimedHttpExchange x : inFlight) {
      try {
        x.close();
      } catch (IOException e) {
        // closing is all we want; a close that fails leaves the request to its own timeout
      }
    }
  }

  public ProbeSample run(
      ProbeOptions o, String prompt, int concurrency, int stream, int ordinal, String phase) {
    URI uri = base.resolve("chat".equals(o.api()) ? "/api/chat" : "/api/generate");
    byte[] payload;
    try {
      payload = JSON.writeValueAsBytes(body(o, prompt));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Timing t = new Timing(concurrency, stream, ordinal, phase);
    TimedHttpExchange x;
    try {
      x = TimedHttpExchange.connect(uri, CONNECT_TIMEOUT_MS);
    } catch (ConnectException e) {
      t.sent = System.nanoTime();
      return t.fail(ErrorClass.REFUSED, "nothing listening at " + base);
    } catch (IOException e) {
      t.sent = System.nanoTime();
      return t.fail(ErrorClass.REFUSED, "cannot connect to " + base + ": " + e.getMessage());
    }
    boolean firstSeen = false;
    inFlight.add(x);
    try (x) {
      t.sent = System.nanoTime();
      x.deadline(t.sent + o.firstTokenTimeout().toNanos());
      x.post(uri, "application/json", payload);
      int status = x.readHead();
      if (status != 200) {
        String msg = errorText(x.readBodyText(4096));
        ErrorClass c = switch (status) {
          case 404 -> ErrorClass.MODEL_MISSING;
          case 503 -> ErrorClass.QUEUE_FULL;
          default -> ErrorClass.LOAD_FAILED;
        };
        return t.fail(c, "HTTP " + status + (msg.isEmpty() ? "" : ": " + msg));
      }
      TimedHttpExchange.TimedLine tl;
      while ((tl = x.nextLine()) != null) {
        String line = tl.text();
        if (line.isBlank()) {
          continue;
        }
        JsonTree.Node n;
        try {
          n = JsonTree.parse(line);
        } catch (IOException e) {
          return t.fail(ErrorClass.PROTOCOL, "not a JSON line: " + cut(line));
        }
        if (n.has("error")) {
          // before any token the runner never served this request; after k tokens it crashed
          // mid-stream
          return t.fail(
              t.chunks.isEmpty() ? ErrorClass.LOAD_FAILED : ErrorClass.MIDSTREAM_ERROR,
              n.path("error").asText());
        }
        String text = "chat".equals(o.api())
            ? n.path("message").path("content").asText("")
            : n.path("response").asText("");
        String thinking = "chat".equals(o.api())
            ? n.path("message").path("thinking").asText("")
            : n.path("thinking").asText("");
        if (!text.isEmpty() || !thinking.isEmpty()) {
          t.chunk(tl.arrivedNanos());
          if (!firstSeen) {
            firstSeen = true;
            x.deadline(t.sent + o.totalTimeout().toNanos());
          }
        }
        if (n.path("done").asBoolean(false)) {
          t.end = tl.arrivedNanos();
          return t.done(n);
        }
      }
      return t.fail(
          ErrorClass.NO_DONE,
          "the stream ended after " + t.chunks.size() + " chunk(s) without done");
    } catch (TimedHttpExchange.DeadlineException e) {
      return firstSeen
          ? t.fail(ErrorClass.TIMEOUT, "no done within " + o.totalTimeout().toSeconds() + " s")
          : t.fail(
              ErrorClass.HUNG, "no first token within " + o.firstTokenTimeout().toMillis() + " ms");
    } catch (IOException e) {
      return t.fail(
          t.chunks.isEmpty() && !(e instanceof java.io.EOFException)
              ? ErrorClass.PROTOCOL
              : ErrorClass.NO_DONE,
          "the stream broke: " + e.getMessage());
    } finally {
      inFlight.remove(x);
    }
  }

  private static String errorText(String s) {
    try {
      JsonTree.Node n = JsonTree.parse(s);
      if (n != null && n.has("error")) {
        return n.path("error").asText();
      }
    } catch (IOException notJson) {
      // fall through to the raw text
    }
    return cut(s.strip());
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
      return new ProbeSample(
          concurrency,
          stream,
          ordinal,
          phase,
          at,
          ttft(),
          (now - sent) / 1e6,
          Quantiles.of(g, 50),
          Quantiles.of(g, 95),
          chunks.size(),
          0,
          0,
          0,
          0,
          0,
          0,
          null,
          null,
          null,
          "",
          c,
          message);
    }

    ProbeSample done(JsonTree.Node n) {
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
      return new ProbeSample(
          concurrency,
          stream,
          ordinal,
          phase,
          at,
          ttft(),
          (end - sent) / 1e6,
          Quantiles.of(g, 50),
          Quantiles.of(g, 95),
          chunks.size(),
          load,
          pCount,
          pDur,
          eCount,
          eDur,
          total,
          prefill,
          decode,
          queue,
          n.path("done_reason").asText(""),
          chunks.isEmpty() && eCount > 0 ? ErrorClass.PROTOCOL : ErrorClass.NONE,
          chunks.isEmpty() && eCount > 0 ? "done without any content chunk" : "");
    }
  }
}
