package io.macfleet.agent.ollama;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Minimal HTTP client for Ollama's inventory endpoints, with timeouts and a body size cap. */
public final class OllamaClient {
  public static final String DEFAULT_URL = "http://127.0.0.1:11434";
  private static final int BODY_CAP = 8 * 1024 * 1024;

  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;

  public OllamaClient(String baseUrl, Duration connectTimeout, Duration requestTimeout) {
    this.base =
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
    if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
      throw new IllegalArgumentException(
          "Ollama URL must start with http:// or https://: " + baseUrl);
    }
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
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
    return send(
        path,
        HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout).GET().build());
  }

  /** POST a JSON body to a path (/api/show) and return the answer's body, as {@link #get}. */
  public String post(String path, String json) throws OllamaException {
    return send(
        path,
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
            .build());
  }

  private String send(String path, HttpRequest req) throws OllamaException {
    HttpResponse<InputStream> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new OllamaException("connect to " + base + " timed out", true, e);
    } catch (HttpTimeoutException e) {
      throw new OllamaException(
          path + " did not answer within " + requestTimeout.toMillis() + " ms (hung?)", false, e);
    } catch (ConnectException e) {
      throw new OllamaException("nothing listening at " + base + " (connection refused)", true, e);
    } catch (IOException e) {
      throw new OllamaException(path + " failed: " + e, true, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OllamaException("interrupted", true, e);
    }
    String body;
    try (InputStream in = resp.body()) {
      byte[] bytes = in.readNBytes(BODY_CAP + 1);
      if (bytes.length > BODY_CAP) {
        throw new OllamaException(
            path + " answered more than " + BODY_CAP + " bytes; not Ollama?", false);
      }
      body = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new OllamaException(path + " body could not be read: " + e.getMessage(), false, e);
    }
    if (resp.statusCode() / 100 != 2) {
      throw new OllamaException(
          path + " answered HTTP " + resp.statusCode() + errorText(body), false);
    }
    return body;
  }

  private static String errorText(String body) {
    String b = body.strip();
    if (b.isEmpty()) {
      return "";
    }
    return ": " + (b.length() > 200 ? b.substring(0, 200) + "…" : b);
  }
}
