package io.macfleet.agent.cli;

import io.macfleet.agent.collect.CommandRunner;
import io.macfleet.agent.collect.HostCollectors;
import io.macfleet.agent.ollama.OllamaClient;
import io.macfleet.agent.probe.LevelSummary;
import io.macfleet.agent.probe.ProbeOptions;
import io.macfleet.agent.probe.ProbeRun;
import io.macfleet.agent.probe.ProbeRunner;
import io.macfleet.agent.probe.PromptSets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description =
        "Measure this Mac's Ollama like a benchmark: TTFT and decode separately, 1-way then N-way, "
            + "warm-up kept apart, a nonce on every prompt, the triple recorded before and after.")
final class ProbeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--ollama",
      paramLabel = "URL",
      defaultValue = OllamaClient.DEFAULT_URL,
      description = "Ollama URL (default: ${DEFAULT-VALUE}).")
  String ollama;

  @Option(
      names = "--model",
      paramLabel = "NAME",
      required = true,
      description = "Model tag to probe.")
  String model;

  @Option(
      names = "--samples",
      paramLabel = "N",
      defaultValue = "24",
      description =
          "Steady-state samples per concurrency level (default: ${DEFAULT-VALUE}, the runbook's minimum).")
  int samples;

  @Option(
      names = "--concurrency",
      paramLabel = "LEVELS",
      split = ",",
      defaultValue = "1,4",
      description = "Concurrency levels (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrency;

  @Option(
      names = "--prompt-set",
      paramLabel = "SET",
      defaultValue = "short-chat",
      description =
          "Built-in prompts: short-chat, coding, long-context (default: ${DEFAULT-VALUE}).")
  String promptSet;

  @Option(
      names = "--prompt-file",
      paramLabel = "FILE",
      description = "Your prompts, separated by lines of ---.")
  Path promptFile;

  @Option(
      names = "--api",
      paramLabel = "API",
      defaultValue = "generate",
      description = "generate (raw) or chat.")
  String api;

  @Option(
      names = "--num-predict",
      paramLabel = "N",
      defaultValue = "64",
      description = "Tokens per answer (default: ${DEFAULT-VALUE}).")
  int numPredict;

  @Option(
      names = "--num-ctx",
      paramLabel = "N",
      defaultValue = "4096",
      description = "Context size (default: ${DEFAULT-VALUE}).")
  int numCtx;

  @Option(names = "--think", description = "Let thinking models think (off by default).")
  boolean think;

  @Option(
      names = "--cold",
      description = "Unload the model first (keep_alive 0) and measure a true cold start.")
  boolean cold;

  @Option(
      names = "--first-token-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "A request with no first token by then is HUNG.")
  Duration firstTokenTimeout;

  @Option(
      names = "--no-telemetry",
      description = "Do not sample this host's telemetry during the run.")
  boolean noTelemetry;

  @Option(names = "--json", description = "Print the whole run, every sample included, as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<String> prompts = promptFile == null ? List.of() : PromptSets.read(promptFile);
    ProbeOptions o = new ProbeOptions(
        model,
        api,
        promptFile == null ? promptSet : "file:" + promptFile.getFileName(),
        prompts,
        concurrency,
        samples,
        numPredict,
        numCtx,
        42,
        think,
        cold,
        firstTokenTimeout,
        firstTokenTimeout.plus(Duration.ofMinutes(5)));
    HostCollectors host =
        noTelemetry ? null : HostCollectors.forThisHost(new CommandRunner(), Optional.empty());
    ProbeRun run = new ProbeRunner(ollama, host).run(o);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(ParseCommand.Json.JSON.writeValueAsString(run));
      return exitCode(run);
    }
    ProbeRun.Triple t = run.tripleAtStart();
    out.printf(
        "model %s (%s %s, digest %s) on Ollama %s%n",
        model,
        t.modelFormat(),
        t.modelQuantization(),
        t.modelDigest().isEmpty()
            ? "?"
            : t.modelDigest().substring(0, Math.min(12, t.modelDigest().length())),
        t.ollamaVersion());
    run.samples().stream()
        .filter(s -> !"steady".equals(s.phase()))
        .forEach(s -> out.printf(
            "%s: TTFT %s ms, load %.0f ms%s%n",
            s.phase(),
            f(s.ttftMs()),
            s.loadDurationNs() / 1e6,
            s.ok()
                ? ""
                : ", " + s.error().name().toLowerCase(Locale.ROOT) + ": " + s.errorMessage()));
    out.printf(
        "%-6s %4s %6s %9s %9s %9s %10s %10s  %s%n",
        "LEVEL", "N", "ERRORS", "TTFT p50", "TTFT p95", "TTFT p99", "prefill/s", "decode/s", "");
    for (LevelSummary l : run.levels()) {
      out.printf(
          "%-6s %4d %6d %9s %9s %9s %10s %10s  %s%n",
          l.concurrency() + "-way",
          l.samples(),
          l.errors(),
          f(l.ttftP50Ms()),
          f(l.ttftP95Ms()),
          f(l.ttftP99Ms()),
          f(l.prefillP50TokensPerSecond()),
          f(l.decodeP50TokensPerSecond()),
          l.errorsByClass().isEmpty() ? "" : l.errorsByClass().toString());
    }
    if (run.ttftP95Ratio() != null) {
      out.printf(
          "TTFT p95 ratio %d-way/1-way: %.2f%s%n",
          concurrency.stream().max(Integer::compare).orElse(1),
          run.ttftP95Ratio(),
          run.ttftP95Ratio() > 2.8 ? " (over the runbook's 2.8)" : "");
    }
    if (run.telemetry() != null && run.telemetry().samples() > 0) {
      var tel = run.telemetry();
      out.printf(
          "during the run: thermal %s, power %s, swap avg (last 90 s) %s, memory pressure %s%s%n",
          tel.maxThermalLevel().isEmpty() ? "-" : tel.maxThermalLevel(),
          tel.powerSources().isEmpty() ? "-" : String.join("/", tel.powerSources()),
          tel.swapUsedAvgLast90sBytes() == null
              ? "-"
              : String.format("%.0f MiB", tel.swapUsedAvgLast90sBytes() / (1 << 20)),
          tel.worstMemoryPressure().isEmpty() ? "-" : tel.worstMemoryPressure(),
          tel.sleptOrWoke() ? ", SLEPT OR WOKE" : "");
    }
    if (!run.invalidatedBecause().isEmpty()) {
      out.println("INVALID: the triple changed during the run (" + run.invalidatedBecause() + ")");
    }
    return exitCode(run);
  }

  /** 0 all good, 3 some requests failed, 4 the triple changed during the run (the figures do not count). */
  static int exitCode(ProbeRun run) {
    if (!run.invalidatedBecause().isEmpty()) {
      return 4;
    }
    return run.levels().stream().anyMatch(l -> l.errors() > 0) ? 3 : 0;
  }

  private static String f(Double v) {
    return v == null ? "-" : v >= 100 ? String.format("%.0f", v) : String.format("%.1f", v);
  }
}
