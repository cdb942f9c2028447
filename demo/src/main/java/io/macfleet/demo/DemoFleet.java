package io.macfleet.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.macfleet.controller.ControllerConfig;
import io.macfleet.controller.ControllerServer;
import io.macfleet.controller.security.DataDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The demo fleet: a controller on embedded H2 in a temporary directory (TLS on), four agents as separate
 * processes, each against its own Ollama API simulator and reading a Mac's command outputs from a directory
 * (`run --replay`). One host holds a different digest for the same model tag, one runs an older Ollama. Then
 * the verdicts: one host runs hot (its outputs say heavy thermal pressure, its simulator slows), and an
 * Ollama upgrade that is slower lands on another host and on the control host. Everything started is stopped
 * and deleted at the end.
 */
public final class DemoFleet {
  /** A demo host: name, simulated Ollama version and the digest it holds for the MLX tag. */
  record DemoHost(String name, String ollamaVersion, String mlxDigestSeed) {}

  static final List<DemoHost> HOSTS = List.of(
      new DemoHost("mac-studio-01", "0.32.15", "qwen3.6-nvfp4-release-2026-10"),
      new DemoHost("mac-studio-02", "0.32.15", "qwen3.6-nvfp4-repush-2026-11"),
      new DemoHost("mac-mini-03", "0.30.2", "qwen3.6-nvfp4-release-2026-10"),
      new DemoHost("mac-mini-04", "0.32.15", "qwen3.6-nvfp4-release-2026-10"));
  static final String MODEL = "qwen3.6:35b-a3b-nvfp4";
  private Path tmpRoot;

  private final java.util.Map<String, Process> simulators =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, String> ollamaUrls =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Path agentJar;
  private final Path simulatorJar;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean keep;

  public DemoFleet(
      Path agentJar, Path simulatorJar, PrintWriter out, PrintWriter err, boolean keep) {
    this.agentJar = agentJar;
    this.simulatorJar = simulatorJar;
    this.out = out;
    this.err = err;
    this.keep = keep;
  }

  /**
   * Runs the demo; show(args, outWriter) runs a macfleet CLI command against the demo controller and
   * returns its exit code.
   */
  public int run(BiFunction<List<String>, PrintWriter, Integer> show) throws Exception {
    Path tmp = Files.createTempDirectory("macfleet-demo-");
    tmpRoot = tmp;
    Path dataDir = tmp.resolve("controller");
    ExecutorService pool = Executors.newFixedThreadPool(HOSTS.size());
    try (ChildProcesses children = new ChildProcesses(tmp.resolve("logs"));
        ControllerServer controller =
            ControllerServer.start(ControllerConfig.defaults(dataDir).withListen("127.0.0.1", 0))) {
      String target = "127.0.0.1:" + controller.port();
      out.printf("controller: %s (TLS, embedded H2 in %s)%n", target, dataDir);
      out.flush();
      List<Future<String>> ready = new ArrayList<>();
      for (DemoHost h : HOSTS) {
        ready.add(pool.submit(
            () -> startHost(children, tmp, h, target, DataDirectory.agentBundle(dataDir))));
      }
      for (Future<String> f : ready) {
        out.println(f.get());
        out.flush();
      }
      out.println("waiting for the four agents' first reports…");
      out.flush();
      awaitReports(controller, 90);
      List<String> conn = List.of("--controller", target, "--data-dir", dataDir.toString());
      int code = show.apply(
          concat(List.of("hosts", "label", "mac-studio-01", "role=control"), conn),
          new PrintWriter(java.io.OutputStream.nullOutputStream()));
      if (code != 0) {
        return code;
      }
      out.println();
      out.println("$ macfleet hosts");
      out.flush();
      code = show.apply(concat(List.of("hosts"), conn), out);
      if (code != 0) {
        return code;
      }
      out.println();
      out.println("$ macfleet drift");
      out.flush();
      code = show.apply(concat(List.of("drift"), conn), out);
      if (code != 0) {
        return code;
      }
      out.println();
      out.println("stopping mac-studio-02's Ollama; its agent reports the change as an event…");
      out.flush();
      simulators.get("mac-studio-02").destroy();
      awaitEvent(show, conn, "ollama_state", 30);
      out.println();
      out.println("$ macfleet events");
      out.flush();
      code = show.apply(concat(List.of("events"), conn), out);
      if (code != 0) {
        return code;
      }
      out.println();
      out.println("$ macfleet schedule add demo-replay --cron \"*/10 * * * * ?\" --hosts all "
          + "--model " + MODEL + " --samples 24 --concurrency 1,4");
      out.flush();
      code = show.apply(
          concat(
              List.of(
                  "schedule",
                  "add",
                  "demo-replay",
                  "--cron",
                  "*/10 * * * * ?",
                  "--hosts",
                  "all",
                  "--model",
                  MODEL,
                  "--samples",
                  "24",
                  "--concurrency",
                  "1,4",
                  "--num-predict",
                  "16"),
              conn),
          out);
      if (code != 0) {
        return code;
      }
      out.println(
          "waiting for the schedule to fire and the agents to finish their runs (the baselines)…");
      out.flush();
      List<String> live = List.of("mac-studio-01", "mac-mini-03", "mac-mini-04");
      awaitDoneRuns(show, conn, live, "scheduled", 150);
      show.apply(
          concat(List.of("schedule", "rm", "demo-replay"), conn),
          new PrintWriter(java.io.OutputStream.nullOutputStream()));
      awaitQuiet(show, conn, 60);
      out.println();
      out.println("$ macfleet runs");
      out.flush();
      code = show.apply(concat(List.of("runs"), conn), out);
      if (code != 0) {
        return code;
      }
      out.println();
      out.println("$ macfleet report --model " + MODEL);
      out.flush();
      code = show.apply(concat(List.of("report", "--model", MODEL), conn), out);
      if (code != 0) {
        return code;
      }

      code = callersPhase(show, conn);
      if (code > 1) {
        return code;
      }

      out.println();
      out.println("mac-mini-04's Ollama starts crashing mid-stream whenever two requests overlap "
          + "(a Metal transient under concurrency)…");
      write(
          tmp.resolve("mac-mini-04-ollama.json"),
          profile(host("mac-mini-04"), "0.32.15", 1.0, true));
      out.println("$ macfleet replay mac-mini-04 --model " + MODEL
          + " --samples 24 --concurrency 1,4 --wait 90");
      out.flush();
      String crashed = replay(show, conn, "mac-mini-04", "1,4");
      awaitFailure(show, conn, "mac-mini-04", crashed, 60);
      setOllama(tmp, host("mac-mini-04"), "0.32.15", 1.0); // and it recovers

      out.println();
      out.println(
          "mac-mini-04 runs hot: its Mac reports heavy thermal pressure and its Ollama slows down…");
      out.flush();
      writeMacOutputs(tmp.resolve("mac-mini-04-mac"), 2);
      setOllama(tmp, host("mac-mini-04"), "0.32.15", 1.7);
      awaitHost(show, conn, "mac-mini-04", "\"thermal_level\": \"heavy\"", 30);
      out.println("$ macfleet replay mac-mini-04 --model " + MODEL
          + " --samples 24 --concurrency 1 --wait 90");
      out.flush();
      String hot = replay(show, conn, "mac-mini-04");
      awaitSettled(show, conn, "mac-mini-04", hot, 120);

      out.println();
      out.println(
          "Ollama 0.33.0 (slower) lands on mac-mini-03 and on the control host mac-studio-01…");
      out.flush();
      setOllama(tmp, host("mac-mini-03"), "0.33.0", 1.5);
      setOllama(tmp, host("mac-studio-01"), "0.33.0", 1.5);
      awaitHost(show, conn, "mac-mini-03", "\"ollama_version\": \"0.33.0\"", 30);
      awaitHost(show, conn, "mac-studio-01", "\"ollama_version\": \"0.33.0\"", 30);
      out.println("$ macfleet replay mac-mini-03 --model " + MODEL
          + " --samples 24 --concurrency 1 --wait 90");
      out.flush();
      String upgraded = replay(show, conn, "mac-mini-03");
      awaitSettled(show, conn, "mac-mini-03", upgraded, 120);

      for (String h : List.of("mac-mini-04", "mac-mini-03")) {
        out.println();
        out.println("$ macfleet verdicts --host " + h);
        out.flush();
        code = show.apply(concat(List.of("verdicts", "--host", h), conn), out);
        if (code != 0) {
          return code;
        }
      }
      out.println();
      out.println("stopping the demo fleet…");
      out.flush();
      return code;
    } finally {
      pool.shutdownNow();
      if (keep) {
        out.println("kept " + tmp);
      } else {
        deleteTree(tmp);
      }
      out.flush();
    }
  }

  private String startHost(
      ChildProcesses children, Path tmp, DemoHost h, String target, Path bundle) throws Exception {
    Path profile = tmp.resolve(h.name() + "-ollama.json");
    Files.writeString(profile, profile(h), StandardCharsets.UTF_8);
    Path serverLog = tmp.resolve(h.name() + "-server.log");
    Process sim = children.start(
        h.name() + "-ollama",
        simulatorJar,
        List.of("--profile", profile.toString(), "--log", serverLog.toString()));
    simulators.put(h.name(), sim);
    String url =
        children.awaitLine(h.name() + "-ollama", sim, "Ollama API simulator listening on ", 60);
    ollamaUrls.put(h.name(), url);
    Path state = tmp.resolve(h.name() + "-agent");
    children.runToEnd(
        h.name() + "-enroll",
        agentJar,
        List.of(
            "enroll",
            "--controller",
            target,
            "--secret-file",
            bundle.toString(),
            "--state-dir",
            state.toString(),
            "--name",
            h.name()),
        60);
    Path mac = tmp.resolve(h.name() + "-mac");
    writeMacOutputs(mac, 0);
    children.start(
        h.name() + "-agent",
        agentJar,
        List.of(
            "run",
            "--state-dir",
            state.toString(),
            "--ollama",
            url,
            "--interval",
            "2s",
            "--change-poll",
            "1s",
            "--name",
            h.name(),
            "--ollama-log",
            serverLog.toString(),
            "--replay",
            mac.toString()));
    return String.format(
        "agent %-14s enrolled; Ollama %-8s simulated at %s", h.name(), h.ollamaVersion(), url);
  }

  /**
   * Gate C: a team points a tool-looping agent at mac-mini-03: six requests at once to the MLX model (which serves
   * one at a time) and a prompt longer than its context. The host's agent reads them from Ollama's server.log;
   * `clients` shows them and `gate` fails the host with split_tiers.
   */
  private int callersPhase(BiFunction<List<String>, PrintWriter, Integer> show, List<String> conn)
      throws Exception {
    out.println();
    out.println("a team points its tool-looping agent at mac-mini-03: six requests at once, and a "
        + "prompt longer than the model's context…");
    out.flush();
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build();
    String url = ollamaUrls.get("mac-mini-03") + "/api/generate";
    List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls =
        new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(http.sendAsync(
          generate(url, "step " + i + " of the agent's loop", 300),
          java.net.http.HttpResponse.BodyHandlers.ofString()));
    }
    calls.add(http.sendAsync(
        generate(url, "tool output ".repeat(2000), 4),
        java.net.http.HttpResponse.BodyHandlers.ofString()));
    for (var c : calls) {
      c.get(120, java.util.concurrent.TimeUnit.SECONDS);
    }
    poll(
        30,
        500,
        () -> capture(show, concat(List.of("clients", "mac-mini-03", "--json"), conn))
            .contains("\"truncated_prompts\": 1"));
    out.println("$ macfleet clients mac-mini-03");
    out.flush();
    int code = show.apply(concat(List.of("clients", "mac-mini-03"), conn), out);
    if (code != 0) {
      return code;
    }
    out.println();
    out.println(
        "$ macfleet gate --model " + MODEL + " --baseline role=control --candidate mac-mini-03");
    out.flush();
    return show.apply(
        concat(
            List.of(
                "gate",
                "--model",
                MODEL,
                "--baseline",
                "role=control",
                "--candidate",
                "mac-mini-03"),
            conn),
        out);
  }

  private static java.net.http.HttpRequest generate(String url, String prompt, int tokens) {
    return java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL
            + "\",\"prompt\":\"" + prompt + "\",\"options\":{\"num_predict\":" + tokens + "}}"))
        .build();
  }

  /** A condition checked every interval until it holds or the time runs out. */
  interface Check {
    boolean holds() throws Exception;
  }

  private static boolean poll(int timeoutSeconds, long everyMillis, Check check) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (check.holds()) {
        return true;
      }
      Thread.sleep(everyMillis);
    }
    return false;
  }

  /** A CLI command's standard output, for the waits to read. */
  private static String capture(
      BiFunction<List<String>, PrintWriter, Integer> show, List<String> args) {
    java.io.StringWriter sw = new java.io.StringWriter();
    show.apply(args, new PrintWriter(sw));
    return sw.toString();
  }

  private static DemoHost host(String name) {
    return HOSTS.stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * What a Mac mini M4 Pro's commands print (sw_vers, sysctl, notifyutil, pmset), as the agent's --replay reads
   * them; thermal is the notifyutil pressure level (0 nominal, 2 heavy). Written to a temporary file and moved
   * into place so the agent never reads half a file.
   */
  static void writeMacOutputs(Path dir, int thermal) throws IOException {
    Files.createDirectories(dir);
    write(
        dir.resolve("sw_vers.txt"),
        "ProductName:\t\tmacOS\nProductVersion:\t\t15.4.1\nBuildVersion:\t\t24E263\n");
    write(
        dir.resolve("sysctl.txt"),
        "hw.model: Mac16,11\nhw.memsize: 51539607552\nhw.ncpu: 14\n"
            + "hw.perflevel0.physicalcpu: 10\nhw.perflevel1.physicalcpu: 4\nmachdep.cpu.brand_string: Apple M4 Pro\n"
            + "kern.osversion: 24E263\nkern.memorystatus_vm_pressure_level: 1\n"
            + "vm.swapusage: total = 1024.00M  used = 12.50M  free = 1011.50M  (encrypted)\n");
    write(
        dir.resolve("notifyutil-thermal.txt"),
        "com.apple.system.thermalpressurelevel " + thermal + "\n");
    write(dir.resolve("pmset-batt.txt"), "Now drawing from 'AC Power'\n");
  }

  private static void write(Path f, String text) throws IOException {
    Path t = f.resolveSibling("." + f.getFileName() + ".tmp");
    Files.writeString(t, text, StandardCharsets.UTF_8);
    Files.move(
        t,
        f,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  /** Rewrites a host's simulator profile; the simulator picks it up on its next request. */
  private static void setOllama(Path tmp, DemoHost h, String version, double slow)
      throws IOException {
    write(tmp.resolve(h.name() + "-ollama.json"), profile(h, version, slow));
  }

  private static void awaitHost(
      BiFunction<List<String>, PrintWriter, Integer> show,
      List<String> conn,
      String host,
      String fragment,
      int timeoutSeconds)
      throws Exception {
    if (!poll(
        timeoutSeconds,
        300,
        () -> capture(show, concat(List.of("host", host, "--json"), conn)).contains(fragment))) {
      throw new IOException(
          host + " did not report " + fragment + " within " + timeoutSeconds + "s");
    }
  }

  /** Runs a one-level probe now and prints the run; returns its id. */
  private String replay(
      BiFunction<List<String>, PrintWriter, Integer> show, List<String> conn, String host)
      throws Exception {
    return replay(show, conn, host, "1");
  }

  /** Runs a probe at the given levels now and prints the run; returns its id. */
  private String replay(
      BiFunction<List<String>, PrintWriter, Integer> show,
      List<String> conn,
      String host,
      String levels)
      throws Exception {
    java.io.StringWriter sw = new java.io.StringWriter();
    int code = show.apply(
        concat(
            List.of(
                "replay",
                host,
                "--model",
                MODEL,
                "--samples",
                "24",
                "--concurrency",
                levels,
                "--num-predict",
                "16",
                "--wait",
                "90",
                "--json"),
            conn),
        new PrintWriter(sw));
    var runs = new ObjectMapper().readTree(sw.toString());
    if (code != 0 || runs.isEmpty()) {
      throw new IOException("replay on " + host + " failed: " + sw);
    }
    var r = runs.get(0);
    out.printf(
        "run %s on %s: %s, TTFT p50 %.0f ms, decode %.0f tok/s%n",
        r.path("id").asText(),
        host,
        r.path("status").asText(),
        r.path("levels").path(0).path("ttft_p50_ms").asDouble(),
        r.path("levels").path(0).path("decode_p50_tps").asDouble());
    if (levels.equals("1")) {
      out.println("the controller judges it, replays the same probe on the control host "
          + "mac-studio-01 and again on " + host + ", and settles…");
    }
    out.flush();
    return r.path("id").asText();
  }

  /** Until the run has a failure verdict. */
  private static void awaitFailure(
      BiFunction<List<String>, PrintWriter, Integer> show,
      List<String> conn,
      String host,
      String runId,
      int timeoutSeconds)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    boolean judged = poll(
        timeoutSeconds,
        500,
        () -> capture(show, concat(List.of("verdicts", "--host", host, "--json"), conn))
            .lines()
            .map(l -> {
              try {
                return json.readTree(l);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })
            .anyMatch(v -> v.path("run").asText().equals(runId)
                && v.path("verdict").asText().equals("failure")));
    if (!judged) {
      throw new IOException(
          "no failure verdict for run " + runId + " within " + timeoutSeconds + "s");
    }
  }

  /** Until the run's newest verdict no longer waits for its control replay. */
  private static void awaitSettled(
      BiFunction<List<String>, PrintWriter, Integer> show,
      List<String> conn,
      String host,
      String runId,
      int timeoutSeconds)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    boolean settled = poll(timeoutSeconds, 500, () -> {
      for (String line : capture(show, concat(List.of("verdicts", "--host", host, "--json"), conn))
          .lines()
          .toList()) {
        var v = json.readTree(line);
        String why = v.path("explanation").asText();
        if (v.path("run").asText().equals(runId)
            && v.path("control").isObject()
            && !why.contains(io.macfleet.controller.verdict.VerdictService.PENDING)
            && why.contains("recheck")) {
          return true;
        }
      }
      return false;
    });
    if (!settled) {
      throw new IOException(
          "no settled verdict for run " + runId + " within " + timeoutSeconds + "s");
    }
  }

  /** Until each host has a finished run of this purpose that completed. */
  private static void awaitDoneRuns(
      BiFunction<List<String>, PrintWriter, Integer> show,
      List<String> conn,
      List<String> hosts,
      String purpose,
      int timeoutSeconds)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    boolean done = poll(timeoutSeconds, 500, () -> {
      java.util.Set<String> finished = new java.util.HashSet<>();
      for (var r : json.readTree(capture(show, concat(List.of("runs", "--json"), conn)))) {
        if (r.path("purpose").asText().equals(purpose)
            && r.path("status").asText().equals("done")) {
          finished.add(r.path("host").asText());
        }
      }
      return finished.containsAll(hosts);
    });
    if (!done) {
      throw new IOException(
          "not every host finished a " + purpose + " run within " + timeoutSeconds + "s");
    }
  }

  /** Until no run is still requested or running (the last scheduled firings drain). */
  private static void awaitQuiet(
      BiFunction<List<String>, PrintWriter, Integer> show, List<String> conn, int timeoutSeconds)
      throws Exception {
    ObjectMapper json = new ObjectMapper();
    poll(timeoutSeconds, 500, () -> {
      for (var r : json.readTree(capture(show, concat(List.of("runs", "--json"), conn)))) {
        String st = r.path("status").asText();
        if (st.equals("requested") || st.equals("running")) {
          return false;
        }
      }
      return true;
    });
  }

  private static void awaitEvent(
      BiFunction<List<String>, PrintWriter, Integer> show,
      List<String> conn,
      String kind,
      int timeoutSeconds)
      throws Exception {
    if (!poll(
        timeoutSeconds,
        300,
        () -> capture(show, concat(List.of("events", "--json"), conn))
            .contains("\"" + kind + "\""))) {
      throw new IOException("no " + kind + " event within " + timeoutSeconds + "s");
    }
  }

  private static void awaitReports(ControllerServer controller, int timeoutSeconds)
      throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      // a host counts once its agent has reported with Ollama up; the report table is the truth
      if (controller.reports().hostsWithOllamaUp() >= HOSTS.size()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IOException("not every demo agent reported within " + timeoutSeconds + "s");
  }

  static String profile(DemoHost h) throws IOException {
    return profile(h, h.ollamaVersion(), 1.0);
  }

  /** slow: how much slower than the fleet's normal the simulated Ollama is (TTFT times it, decode over it). */
  static String profile(DemoHost h, String version, double slow) throws IOException {
    return profile(h, version, slow, false);
  }

  /**
   * crashUnderLoad: a Metal transient under parallel streams, as the simulator plays it: a request fails after 2
   * tokens whenever another one is in flight.
   */
  static String profile(DemoHost h, String version, double slow, boolean crashUnderLoad)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode p = json.createObjectNode();
    p.put("version", version);
    ArrayNode models = p.putArray("models");
    models
        .addObject()
        .put("name", "qwen3.6:35b-a3b-nvfp4")
        .put("digest", sha256(h.mlxDigestSeed()))
        .put("size", 21_474_836_480L)
        .put("format", "safetensors")
        .put("family", "")
        .put("parameter_size", "")
        .put("quantization_level", "nvfp4")
        .put("loaded", true);
    models
        .addObject()
        .put("name", "llama3.2:latest")
        .put("digest", "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72")
        .put("size", 2_019_393_189L)
        .put("format", "gguf")
        .put("family", "llama")
        .put("parameter_size", "3.2B")
        .put("quantization_level", "Q4_K_M");
    p.putObject("timing")
        .put("load_ms", 200)
        .put("ttft_ms", Math.round(40 * slow))
        .put("decode_tokens_per_s", Math.round(200 / slow))
        .put("jitter_ms", 2);
    if (crashUnderLoad) {
      p.putObject("faults")
          .put("error_after_tokens", 2)
          .put("only_when_in_flight_above", 1)
          .put("error_message", "mlx runner failed: [METAL] Command buffer execution failed");
    }
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(p);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }

  private void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          err.println("could not delete " + p + ": " + e.getMessage());
        }
      });
    } catch (IOException e) {
      err.println("could not clean up " + root + ": " + e.getMessage());
    }
  }
}
