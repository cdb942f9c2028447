package io.macfleet.agent.ollama;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Ollama's inventory and control endpoints (/api/tags, /api/ps, /api/show, an unload), with timeouts and a body
 * size cap, over the agent's own HTTP/1.1 exchange ({@link TimedHttpExchange}): one request per connection, as
 * often as a report interval, so there is no pool to keep.
 */
public final class OllamaClient {
  public static final String DEFAULT_URL = "http://127.0.0.1:11434";
  private static final int BODY_CAP = 8 * 1024 * 1024;

  private final URI base;
  private final int connectTimeoutMs;
  private final Duration requestTimeout;

  public OllamaClient(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
    this.base =
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
      throw new IllegalArgumentException(
          "Ollama URL must start with http:// or https://: " + baseUrl);
    }
    if (base.getHost() == null) {
      throw new IllegalArgumentException("Ollama URL has no host: " + baseUrl);
    }
    this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
    this.requestTimeout = requestTimeout;
  }

  public OllamaClient(String baseUrl) {
    this(baseUrl, Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  public String baseUrl() {
    return base.toString();
  }

  /** GET a path and return its body; non-2xx is an error that carries Ollama's own message. */
  public String get(String path) throws OllamaException {
    return send(path, null, requestTimeout);
  }

  /** POST a JSON body to a path (/api/show) and return the answer's body, as {@link #get}. */
  public String post(String path, String json) throws OllamaException {
    return send(path, json, requestTimeout);
  }

  /** As {@link #post(String, String)} with its own time limit (an unload may wait for a running request). */
  public String post(String path, String json, Duration timeout) throws OllamaException {
    return send(path, json, timeout);
  }

  private String send(String path, String json, Duration timeout) throws OllamaException {
    URI uri = base.resolve(path);
    TimedHttpExchange x;
    try {
      x = TimedHttpExchange.connect(uri, connectTimeoutMs);
    } catch (SocketTimeoutException e) {
      throw new OllamaException("connect to " + base + " timed out", true, e);
    } catch (ConnectException e) {
      throw new OllamaException("nothing listening at " + base + " (connection refused)", true, e);
    } catch (IOException e) {
      throw new OllamaException(path + " failed: " + e, true, e);
    }
    try (x) {
      x.deadline(System.nanoTime() + timeout.toNanos());
      if (json == null) {
        x.get(uri);
      } else {
        x.post(uri, "application/json", json.getBytes(StandardCharsets.UTF_8));
      }
      int status = x.readHead();
      String body = x.readBodyText(BODY_CAP + 1);
      if (body.length() > BODY_CAP) {
        throw new OllamaException(
            path + " answered more than " + BODY_CAP + " bytes; not Ollama?", false);
      }
      if (status / 100 != 2) {
        throw new OllamaException(path + " answered HTTP " + status + errorText(body), false);
      }
      return body;
    } catch (TimedHttpExchange.DeadlineException e) {
      throw new OllamaException(
          path + " did not answer within " + timeout.toMillis() + " ms (hung?)", false, e);
    } catch (IOException e) {
      throw new OllamaException(path + " failed: " + e.getMessage(), true, e);
    }
  }

  private static String errorText(String body) {
    String b = body.strip();
    if (b.isEmpty()) {
      return "";
    }
    return ": " + (b.length() > 200 ? b.substring(0, 200) + "…" : b);
  }
}
