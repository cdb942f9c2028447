package io.macfleet.controller.demo;

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
 * The demo fleet: a controller on embedded H2 in a temporary directory (TLS on), three agents as
 * separate processes, each against its own Ollama API simulator. One host holds a different digest for
 * the same model tag, one runs an older Ollama. Everything started is stopped and deleted at the end.
 */
public final class DemoFleet {
  /** A demo host: name, simulated Ollama version and the digest it holds for the MLX tag. */
  record DemoHost(String name, String ollamaVersion, String mlxDigestSeed) {}

  static final List<DemoHost> HOSTS = List.of(
      new DemoHost("mac-studio-01", "0.32.15", "qwen3.6-nvfp4-release-2026-10"),
      new DemoHost("mac-studio-02", "0.32.15", "qwen3.6-nvfp4-repush-2026-11"),
      new DemoHost("mac-mini-03", "0.30.2", "qwen3.6-nvfp4-release-2026-10"));

  private final java.util.Map<String, Process> simulators = new java.util.concurrent.ConcurrentHashMap<>();
  private final Path agentJar;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean keep;

  public DemoFleet(Path agentJar, PrintWriter out, PrintWriter err, boolean keep) {
    this.agentJar = agentJar;
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
    Path dataDir = tmp.resolve("controller");
    ExecutorService pool = Executors.newFixedThreadPool(HOSTS.size());
    try (ChildProcesses children = new ChildProcesses(agentJar, tmp.resolve("logs"));
        ControllerServer controller = ControllerServer.start(
            ControllerConfig.defaults(dataDir).withListen("127.0.0.1", 0))) {
      String target = "127.0.0.1:" + controller.port();
      out.printf("controller: %s (TLS, embedded H2 in %s)%n", target, dataDir);
      out.flush();
      List<Future<String>> ready = new ArrayList<>();
      for (DemoHost h : HOSTS) {
        ready.add(pool.submit(() -> startHost(children, tmp, h, target, DataDirectory.agentBundle(dataDir))));
      }
      for (Future<String> f : ready) {
        out.println(f.get());
        out.flush();
      }
      out.println("waiting for the three agents' first reports…");
      out.flush();
      awaitReports(controller, 90);
      List<String> conn = List.of("--controller", target, "--data-dir", dataDir.toString());
      int code = show.apply(concat(List.of("hosts", "label", "mac-studio-01", "role=control"), conn), new PrintWriter(
          java.io.OutputStream.nullOutputStream()));
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
          + "--model qwen3.6:35b-a3b-nvfp4 --samples 8 --concurrency 1,4");
      out.flush();
      code = show.apply(concat(List.of("schedule", "add", "demo-replay", "--cron", "*/10 * * * * ?", "--hosts", "all",
          "--model", "qwen3.6:35b-a3b-nvfp4", "--samples", "8", "--concurrency", "1,4", "--num-predict", "16"), conn),
          out);
      if (code != 0) {
        return code;
      }
      out.println("waiting for the schedule to fire and the agents to finish their runs…");
      out.flush();
      awaitScheduledRuns(show, conn, HOSTS.size(), 90);
      show.apply(concat(List.of("schedule", "rm", "demo-replay"), conn), new PrintWriter(java.io.OutputStream.nullOutputStream()));
      out.println();
      out.println("$ macfleet runs");
      out.flush();
      code = show.apply(concat(List.of("runs"), conn), out);
      if (code != 0) {
        return code;
      }
      out.println();
      out.println("$ macfleet report --model qwen3.6:35b-a3b-nvfp4");
      out.flush();
      code = show.apply(concat(List.of("report", "--model", "qwen3.6:35b-a3b-nvfp4"), conn), out);
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

  private String startHost(ChildProcesses children, Path tmp, DemoHost h, String target, Path bundle)
      throws Exception {
    Path profile = tmp.resolve(h.name() + "-ollama.json");
    Files.writeString(profile, profile(h), StandardCharsets.UTF_8);
    Process sim = children.start(h.name() + "-ollama", List.of("simulate-ollama", "--profile", profile.toString()));
    simulators.put(h.name(), sim);
    String url = children.awaitLine(h.name() + "-ollama", sim, "Ollama API simulator listening on ", 60);
    Path state = tmp.resolve(h.name() + "-agent");
    children.runToEnd(h.name() + "-enroll", List.of("enroll", "--controller", target, "--secret-file",
        bundle.toString(), "--state-dir", state.toString(), "--name", h.name()), 60);
    children.start(h.name() + "-agent", List.of("run", "--state-dir", state.toString(), "--ollama", url,
        "--interval", "2s", "--change-poll", "1s", "--name", h.name()));
    return String.format("agent %-14s enrolled; Ollama %-8s simulated at %s", h.name(), h.ollamaVersion(), url);
  }

  private static void awaitEvent(BiFunction<List<String>, PrintWriter, Integer> show, List<String> conn, String kind,
      int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      java.io.StringWriter sw = new java.io.StringWriter();
      show.apply(concat(List.of("events", "--json"), conn), new PrintWriter(sw));
      if (sw.toString().contains("\"" + kind + "\"")) {
        return;
      }
      Thread.sleep(300);
    }
    throw new IOException("no " + kind + " event within " + timeoutSeconds + "s");
  }

  /** Until `count` scheduled runs have finished (done, failed or missed). */
  private static void awaitScheduledRuns(BiFunction<List<String>, PrintWriter, Integer> show, List<String> conn,
      int count, int timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    while (System.nanoTime() < deadline) {
      java.io.StringWriter sw = new java.io.StringWriter();
      show.apply(concat(List.of("runs", "--json"), conn), new PrintWriter(sw));
      int finished = 0;
      for (var r : json.readTree(sw.toString()).path("runs")) {
        String st = r.path("status").asText();
        if (r.path("purpose").asText().equals("scheduled") && !st.equals("requested") && !st.equals("running")) {
          finished++;
        }
      }
      if (finished >= count) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IOException("the scheduled runs did not finish within " + timeoutSeconds + "s");
  }

  private static void awaitReports(ControllerServer controller, int timeoutSeconds) throws Exception {
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
    ObjectMapper json = new ObjectMapper();
    ObjectNode p = json.createObjectNode();
    p.put("version", h.ollamaVersion());
    ArrayNode models = p.putArray("models");
    models.addObject().put("name", "qwen3.6:35b-a3b-nvfp4").put("digest", sha256(h.mlxDigestSeed()))
        .put("size", 21_474_836_480L).put("format", "safetensors").put("family", "")
        .put("parameter_size", "").put("quantization_level", "nvfp4").put("loaded", true);
    models.addObject().put("name", "llama3.2:latest")
        .put("digest", "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72")
        .put("size", 2_019_393_189L).put("format", "gguf").put("family", "llama")
        .put("parameter_size", "3.2B").put("quantization_level", "Q4_K_M");
    p.putObject("timing").put("load_ms", 200).put("prefill_tokens_per_s", 900).put("decode_tokens_per_s", 80);
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(p);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
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
