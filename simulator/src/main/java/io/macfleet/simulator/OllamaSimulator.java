package io.macfleet.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An Ollama API simulator (not Ollama): serves /api/version, /api/tags, /api/ps, /api/show and
 * streaming /api/generate and /api/chat in Ollama's wire format (NDJSON lines, nanosecond metrics,
 * {"error":...} objects) from a profile. It re-reads the profile file when it changes, so a test or
 * demo can "upgrade" Ollama or re-pull a model under a running agent.
 */
public final class OllamaSimulator implements AutoCloseable {
  private static final ObjectMapper JSON = SimulatorProfile.json();
  private static final long FIRST_TOKEN_SPIN_NS = 2_000_000;
  private static final long TOKEN_SPIN_NS = 200_000;

  static {
    // Go's net/http (Ollama) sends each token at once; the JDK server would hold small writes
    // (Nagle)
    // until the client's delayed ACK, adding up to 40 ms. Read once, when the first JDK HTTP server
    // starts.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ISO_INSTANT;

  private final Path profileFile;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "ollama-sim");
    t.setDaemon(true);
    return t;
  });
  private volatile SimulatorProfile profile;
  private volatile FileTime profileMtime;
  private final Set<String> loaded = ConcurrentHashMap.newKeySet();
  private final Map<String, Semaphore> slots = new ConcurrentHashMap<>();
  /** Generate requests of each model between arrival and their last byte: what conditional faults look at. */
  private final Map<String, java.util.concurrent.atomic.AtomicInteger> inFlight =
      new ConcurrentHashMap<>();

  private final GinLog log;
  /** When the request this thread serves arrived: each request runs on one executor thread, start to end. */
  private static final ThreadLocal<Long> ARRIVED = new ThreadLocal<>();

  private OllamaSimulator(Path profileFile, SimulatorProfile profile, HttpServer server, GinLog log)
      throws IOException {
    this.log = log;
    this.profileFile = profileFile;
    this.profile = profile;
    this.profileMtime = profileFile == null ? null : Files.getLastModifiedTime(profileFile);
    this.server = server;
    profile.models.stream().filter(m -> m.loaded).forEach(m -> loaded.add(m.name));
    server.setExecutor(executor);
    server.createContext("/", this::route);
  }

  /** Starts on 127.0.0.1:port (0 picks a free port). */
  public static OllamaSimulator start(Path profileFile, int port) throws IOException {
    return start(profileFile, port, null);
  }

  /** As {@link #start(Path, int)}, appending a server.log in Ollama's format to {@code serverLog} when not null. */
  public static OllamaSimulator start(Path profileFile, int port, Path serverLog)
      throws IOException {
    SimulatorProfile p = SimulatorProfile.read(profileFile);
    HttpServer s =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    OllamaSimulator sim =
        new OllamaSimulator(profileFile, p, s, serverLog == null ? null : new GinLog(serverLog));
    s.start();
    return sim;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (log != null) {
      try {
        log.close();
      } catch (IOException ignored) {
        // nothing left to tell
      }
    }
  }

  private SimulatorProfile currentProfile() {
    if (profileFile != null) {
      try {
        FileTime mtime = Files.getLastModifiedTime(profileFile);
        if (!mtime.equals(profileMtime)) {
          profile = SimulatorProfile.read(profileFile);
          profileMtime = mtime;
        }
      } catch (IOException e) {
        // keep serving the last good profile; a half-written file must not take the simulator down
      }
    }
    return profile;
  }

  private void route(HttpExchange ex) throws IOException {
    // the timing model counts from arrival, not from parsing; not an exchange attribute: JDK 17's
    // HttpServer keeps those per context, shared by every request in flight
    ARRIVED.set(System.nanoTime());
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      SimulatorProfile p = currentProfile();
      switch (path) {
        case "/" -> text(ex, 200, "Ollama is running");
        case "/api/version" -> json(ex, 200, JSON.createObjectNode().put("version", p.version));
        case "/api/tags" -> json(ex, 200, tags(p, false));
        case "/api/ps" -> json(ex, 200, tags(p, true));
        case "/api/show" -> requirePost(ex, method, () -> show(ex, p));
        case "/api/generate" -> requirePost(ex, method, () -> generate(ex, p, false));
        case "/api/chat" -> requirePost(ex, method, () -> generate(ex, p, true));
        default -> error(ex, 404, "404 page not found");
      }
    } catch (RuntimeException e) {
      // a client that hung up mid-stream; nothing to tell it
    } finally {
      if (log != null) {
        // Gin logs when the handler returns: the latency covers queueing, prefill and the whole
        // stream
        log.request(
            Instant.now(),
            ex.getResponseCode() < 0 ? 500 : ex.getResponseCode(),
            System.nanoTime() - ARRIVED.get(),
            ex.getRemoteAddress().getAddress().getHostAddress(),
            ex.getRequestMethod(),
            ex.getRequestURI().getPath());
      }
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void requirePost(HttpExchange ex, String method, IoAction action) throws IOException {
    if (!"POST".equals(method)) {
      error(ex, 405, "method not allowed");
      return;
    }
    action.run();
  }

  private ObjectNode tags(SimulatorProfile p, boolean onlyLoaded) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode arr = root.putArray("models");
    for (SimulatorProfile.Model m : p.models) {
      if (onlyLoaded && !loaded.contains(m.name)) {
        continue;
      }
      ObjectNode o = arr.addObject();
      o.put("name", m.name).put("model", m.name);
      if (!onlyLoaded) {
        o.put("modified_at", "2026-11-01T10:00:00.123456789+01:00");
      }
      o.put("size", m.size).put("digest", m.digest);
      details(o.putObject("details"), m);
      if (onlyLoaded) {
        o.put("expires_at", CREATED_AT.format(Instant.now().plusSeconds(300)));
        o.put("size_vram", m.size);
        o.put("context_length", m.contextLength);
      }
    }
    return root;
  }

  private static void details(ObjectNode d, SimulatorProfile.Model m) {
    d.put("parent_model", "").put("format", m.format).put("family", m.family);
    if (m.family.isEmpty()) {
      d.putNull("families");
    } else {
      d.putArray("families").add(m.family);
    }
    d.put("parameter_size", m.parameterSize).put("quantization_level", m.quantizationLevel);
  }

  private void show(HttpExchange ex, SimulatorProfile p) throws IOException {
    JsonNode req = body(ex);
    if (req == null) {
      return;
    }
    String name = req.path("model").asText(req.path("name").asText(""));
    SimulatorProfile.Model m = find(p, name);
    if (m == null) {
      error(ex, 404, "model '" + name + "' not found");
      return;
    }
    ObjectNode o = JSON.createObjectNode();
    o.put(
        "modelfile",
        "# Modelfile generated by the macfleet Ollama simulator\nFROM " + m.name + "\n");
    o.put("parameters", "");
    o.put("template", "{{ .Prompt }}");
    ObjectNode details = o.putObject("details");
    details(details, m);
    if (m.declaredQuantization != null) {
      details.put("quantization_level", m.declaredQuantization);
    }
    ObjectNode info = o.putObject("model_info")
        .put("general.architecture", m.family.isEmpty() ? "unknown" : m.family);
    if (m.parameterCount > 0) {
      info.put("general.parameter_count", m.parameterCount);
    }
    o.put("modified_at", "2026-11-01T10:00:00.123456789+01:00");
    json(ex, 200, o);
  }

  private void generate(HttpExchange ex, SimulatorProfile p, boolean chat) throws IOException {
    JsonNode req = body(ex);
    if (req == null) {
      return;
    }
    String name = req.path("model").asText("");
    SimulatorProfile.Model m = find(p, name);
    if (m == null) {
      error(ex, 404, "model '" + name + "' not found");
      return;
    }
    var flying =
        inFlight.computeIfAbsent(m.name, k -> new java.util.concurrent.atomic.AtomicInteger());
    flying.incrementAndGet();
    try {
      generate(ex, p, chat, req, m, flying);
    } finally {
      flying.decrementAndGet();
    }
  }

  /**
   * Whether the profile's faults strike this request now: for every model, or only one quantization; always, or
   * only while more requests of the model are in flight than the profile allows.
   */
  private static boolean faulty(
      SimulatorProfile.Faults f, SimulatorProfile.Model m, int inFlightNow) {
    return (f.onlyForQuantization == null
            || f.onlyForQuantization.equalsIgnoreCase(m.quantizationLevel))
        && (f.onlyWhenInFlightAbove <= 0 || inFlightNow > f.onlyWhenInFlightAbove);
  }

  private void generate(
      HttpExchange ex,
      SimulatorProfile p,
      boolean chat,
      JsonNode req,
      SimulatorProfile.Model m,
      java.util.concurrent.atomic.AtomicInteger flying)
      throws IOException {
    String prompt = chat ? chatText(req.path("messages")) : req.path("prompt").asText("");
    boolean stream = !req.has("stream") || req.path("stream").asBoolean(true);
    JsonNode keepAlive = req.get("keep_alive");
    boolean unload = keepAlive != null
        && (keepAlive.isNumber() && keepAlive.asDouble() == 0
            || keepAlive.isTextual() && keepAlive.asText().matches("0+[a-z]*"));
    if (prompt.isEmpty()) {
      // a load-only or unload request answers at once, without metrics (as Ollama does)
      String reason;
      if (unload) {
        loaded.remove(m.name);
        reason = "unload";
      } else {
        load(p, m);
        reason = "load";
      }
      ObjectNode done = line(m.name, chat, "").put("done", true).put("done_reason", reason);
      json(ex, 200, done);
      return;
    }
    long start = System.nanoTime();
    SimulatorProfile.Faults f = p.faults;
    if (f.loadError && faulty(f, m, flying.get())) {
      error(ex, 500, f.errorMessage); // before any byte of a stream: the model did not load
      return;
    }
    if (f.hangMs > 0 && faulty(f, m, flying.get())) {
      sleepNanos(f.hangMs * 1_000_000); // a hung runner: nothing at all until the client gives up
    }
    boolean cold = !loaded.contains(m.name);
    long loadNs = load(p, m);
    Semaphore slot = slots.computeIfAbsent(
        m.name,
        k -> new Semaphore(
            "safetensors".equals(m.format) ? 1 : Math.max(1, p.timing.numParallel), true));
    if (slot.getQueueLength() >= p.timing.maxQueue) {
      error(ex, 503, "server busy, please try again.  maximum pending requests exceeded");
      return;
    }
    // a cold request's first token comes ttft after the load, a warm one's ttft after arrival
    long served = cold ? System.nanoTime() : ARRIVED.get();
    try {
      if (!slot.tryAcquire()) {
        slot.acquire();
        served = System.nanoTime(); // queued: the timing starts when a slot frees up
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      int promptTokens = Math.max(1, prompt.length() / 4);
      int context = req.path("options").path("num_ctx").asInt(m.contextLength);
      if (context > 0 && promptTokens > context) {
        if (log != null) {
          log.truncatedPrompt(Instant.now(), context, promptTokens);
        }
        promptTokens = context; // the runner keeps the prompt's tail and says nothing to the client
      }
      int numPredict = req.path("options").path("num_predict").asInt(p.timing.defaultNumPredict);
      if (numPredict < 0) {
        numPredict = p.timing.defaultNumPredict;
      }
      long perTokenNs = (long) (1e9 / p.timing.decodeTokensPerSecond);
      long prefillNs = p.timing.ttftMs > 0
          ? Math.max(0, (long) (p.timing.ttftMs * 1e6) - perTokenNs)
          : (long) (promptTokens / p.timing.prefillTokensPerSecond * 1e9);
      if (stream) {
        ex.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        ex.sendResponseHeaders(200, 0);
      }
      OutputStream out = ex.getResponseBody();
      // tokens follow an absolute schedule from the end of prefill, so sleep overshoot never
      // accumulates
      long decodeStart = served + prefillNs;
      long jitterNs = (long) (p.timing.jitterMs * 1e6);
      java.util.Random rnd = new java.util.Random(numPredict * 31L + promptTokens);
      StringBuilder all = new StringBuilder();
      long due = decodeStart;
      for (int i = 0; i < numPredict; i++) {
        due += perTokenNs + (jitterNs > 0 ? (long) ((rnd.nextDouble() * 2 - 1) * jitterNs) : 0);
        String tok = i == 0 ? "Sim" : " tok" + i;
        // the chunk is rendered before the wait so that only the write stands between the deadline
        // and the socket
        byte[] chunk = stream ? bytes(line(m.name, chat, tok).put("done", false)) : null;
        // the first token carries the TTFT, so it gets the long spin; later ones only need the rate
        sleepUntil(due, i == 0 ? FIRST_TOKEN_SPIN_NS : TOKEN_SPIN_NS);
        if (i == f.errorAfterTokens && faulty(f, m, flying.get())) {
          if (stream) {
            out.write(bytes(JSON.createObjectNode().put("error", f.errorMessage)));
            out.flush();
          } else {
            error(ex, 500, f.errorMessage);
          }
          return;
        }
        if (i == f.endWithoutDoneAfterTokens && faulty(f, m, flying.get())) {
          return; // the stream just ends, as llama-server's token-repeat abort does
        }
        all.append(tok);
        if (stream) {
          out.write(chunk);
          out.flush();
        }
      }
      long evalNs = System.nanoTime() - decodeStart;
      ObjectNode done = line(m.name, chat, stream ? "" : all.toString())
          .put("done", true)
          .put("done_reason", "length")
          .put("total_duration", System.nanoTime() - start)
          .put("load_duration", loadNs)
          .put("prompt_eval_count", promptTokens)
          .put("prompt_eval_duration", prefillNs)
          .put("eval_count", numPredict)
          .put("eval_duration", evalNs);
      if (stream) {
        out.write(bytes(done));
        out.flush();
      } else {
        json(ex, 200, done);
      }
    } finally {
      slot.release();
    }
  }

  private long load(SimulatorProfile p, SimulatorProfile.Model m) {
    if (loaded.contains(m.name)) {
      return 1_500_000; // a resident model still costs the scheduler a little
    }
    long ns = p.timing.loadMs * 1_000_000;
    sleepNanos(ns);
    loaded.add(m.name);
    return ns;
  }

  private static String chatText(JsonNode messages) {
    StringBuilder sb = new StringBuilder();
    if (messages.isArray()) {
      messages.forEach(msg -> sb.append(msg.path("content").asText("")));
    }
    return sb.toString();
  }

  private static ObjectNode line(String model, boolean chat, String text) {
    ObjectNode o = JSON.createObjectNode();
    o.put("model", model)
        .put("created_at", CREATED_AT.format(Instant.now().atOffset(ZoneOffset.UTC)));
    if (chat) {
      o.putObject("message").put("role", "assistant").put("content", text);
    } else {
      o.put("response", text);
    }
    return o;
  }

  private static SimulatorProfile.Model find(SimulatorProfile p, String name) {
    for (SimulatorProfile.Model m : p.models) {
      if (m.name.equals(name) || m.name.equals(name + ":latest")) {
        return m;
      }
    }
    return null;
  }

  private static JsonNode body(HttpExchange ex) throws IOException {
    byte[] raw = ex.getRequestBody().readNBytes(1 << 20);
    if (raw.length == 0) {
      error(ex, 400, "missing request body");
      return null;
    }
    try {
      return JSON.readTree(raw);
    } catch (IOException e) {
      error(ex, 400, "invalid character in request body");
      return null;
    }
  }

  private static void sleepUntil(long deadlineNanos, long spinNanos) {
    long left = deadlineNanos - System.nanoTime();
    if (left > spinNanos) {
      sleepNanos(left
          - spinNanos); // sleep most of the way, then spin the rest: sleep overshoots by up to ~1
      // ms
    }
    while (System.nanoTime() < deadlineNanos) {
      Thread.onSpinWait();
    }
  }

  private static void sleepNanos(long ns) {
    if (ns <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(ns);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] bytes(JsonNode n) throws IOException {
    return (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void json(HttpExchange ex, int status, JsonNode n) throws IOException {
    byte[] b = JSON.writeValueAsBytes(n);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }

  private static void error(HttpExchange ex, int status, String message) throws IOException {
    json(ex, status, JSON.createObjectNode().put("error", message));
  }

  private static void text(HttpExchange ex, int status, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
  }
}
