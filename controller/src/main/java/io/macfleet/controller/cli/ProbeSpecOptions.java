package io.macfleet.controller.cli;

import io.macfleet.proto.v1.ProbeSpec;
import java.util.List;
import picocli.CommandLine.Option;

/** The probe options `replay` and `schedule add` share. */
final class ProbeSpecOptions {
  @Option(
      names = "--model",
      required = true,
      paramLabel = "NAME",
      description = "Model tag to probe.")
  String model;

  @Option(
      names = "--samples",
      paramLabel = "N",
      defaultValue = "24",
      description = "Samples per level (default: ${DEFAULT-VALUE}).")
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
      description = "short-chat, coding, long-context.")
  String promptSet;

  @Option(
      names = "--num-predict",
      paramLabel = "N",
      defaultValue = "64",
      description = "Tokens per answer (default: ${DEFAULT-VALUE}).")
  int numPredict;

  @Option(names = "--cold", description = "Measure a true cold start first.")
  boolean cold;

  @Option(
      names = "--allow-small",
      description =
          "Allow fewer than 24 samples per level (a quick look: too few " + "for a verdict).")
  boolean allowSmall;

  @Option(
      names = "--first-token-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description = "A request "
          + "with no first token by then is 'hung'; a level stops after 3 hung in a row (default: ${DEFAULT-VALUE}; a "
          + "bare number is seconds).")
  String firstTokenTimeout;

  /** Checked before anything is sent: a bad value is refused here, never replaced. */
  ProbeSpec toSpec() {
    io.macfleet.controller.fleet.Names.model(model);
    if (samples < 1 || samples > 10_000) {
      throw new CliException(ExitCodes.USAGE, "--samples must be 1 to 10000, got " + samples);
    }
    if (samples < 24 && !allowSmall) {
      throw new CliException(
          ExitCodes.USAGE,
          "--samples " + samples + " is too few for a verdict (24 at least); "
              + "add --allow-small for a quick look");
    }
    for (int c : concurrency) {
      if (c < 1 || c > 64) {
        throw new CliException(ExitCodes.USAGE, "--concurrency levels must be 1 to 64, got " + c);
      }
    }
    if (concurrency.size() != new java.util.HashSet<>(concurrency).size()) {
      throw new CliException(ExitCodes.USAGE, "--concurrency names a level twice: " + concurrency);
    }
    if (numPredict < 1 || numPredict > 32_768) {
      throw new CliException(
          ExitCodes.USAGE, "--num-predict must be 1 to 32768, got " + numPredict);
    }
    long firstTokenTimeoutSeconds =
        DurationArg.parse("--first-token-timeout", firstTokenTimeout, "s").toSeconds();
    if (firstTokenTimeoutSeconds < 1 || firstTokenTimeoutSeconds > 3600) {
      throw new IllegalArgumentException(
          "--first-token-timeout must be 1s to 1h, got " + firstTokenTimeout);
    }
    ProbeSpec.Builder s = ProbeSpec.newBuilder()
        .setModel(model)
        .setSamples(samples)
        .setPromptSet(promptSet)
        .setNumPredict(numPredict)
        .setCold(cold)
        .setFirstTokenTimeoutSeconds((int) firstTokenTimeoutSeconds);
    concurrency.forEach(s::addConcurrency);
    return s.build();
  }
}
