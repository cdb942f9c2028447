package io.macfleet.agent.probe;

import java.time.Duration;
import java.util.List;

/**
 * How a probe is run. Requests are reproducible: fixed seed, temperature 0, fixed num_predict and num_ctx,
 * think off unless asked, raw prompts on /api/generate; all of it is recorded with the run.
 */
public record ProbeOptions(
    String model,
    String api, // "generate" or "chat"
    String promptSet,
    List<String> prompts, // from --prompt-file, else the prompt set's
    List<Integer> concurrency,
    int samples, // per concurrency level
    int numPredict,
    int numCtx,
    int seed,
    boolean think,
    boolean cold,
    @com.fasterxml.jackson.annotation.JsonIgnore Duration firstTokenTimeout,
    @com.fasterxml.jackson.annotation.JsonIgnore Duration totalTimeout) {

  @com.fasterxml.jackson.annotation.JsonProperty("first_token_timeout_ms")
  public long firstTokenTimeoutMs() {
    return firstTokenTimeout.toMillis();
  }

  @com.fasterxml.jackson.annotation.JsonProperty("total_timeout_ms")
  public long totalTimeoutMs() {
    return totalTimeout.toMillis();
  }

  public static ProbeOptions defaults(String model) {
    return new ProbeOptions(
        model,
        "generate",
        "short-chat",
        List.of(),
        List.of(1, 4),
        24,
        64,
        4096,
        42,
        false,
        false,
        Duration.ofSeconds(60),
        Duration.ofSeconds(300));
  }

  public ProbeOptions withConcurrency(List<Integer> levels) {
    return new ProbeOptions(
        model,
        api,
        promptSet,
        prompts,
        levels,
        samples,
        numPredict,
        numCtx,
        seed,
        think,
        cold,
        firstTokenTimeout,
        totalTimeout);
  }

  public ProbeOptions withSamples(int n) {
    return new ProbeOptions(
        model,
        api,
        promptSet,
        prompts,
        concurrency,
        n,
        numPredict,
        numCtx,
        seed,
        think,
        cold,
        firstTokenTimeout,
        totalTimeout);
  }

  public ProbeOptions withNumPredict(int n) {
    return new ProbeOptions(
        model,
        api,
        promptSet,
        prompts,
        concurrency,
        samples,
        n,
        numCtx,
        seed,
        think,
        cold,
        firstTokenTimeout,
        totalTimeout);
  }

  public ProbeOptions withTimeouts(Duration firstToken, Duration total) {
    return new ProbeOptions(
        model,
        api,
        promptSet,
        prompts,
        concurrency,
        samples,
        numPredict,
        numCtx,
        seed,
        think,
        cold,
        firstToken,
        total);
  }

  public ProbeOptions withApi(String a) {
    return new ProbeOptions(
        model,
        a,
        promptSet,
        prompts,
        concurrency,
        samples,
        numPredict,
        numCtx,
        seed,
        think,
        cold,
        firstTokenTimeout,
        totalTimeout);
  }

  public ProbeOptions withCold(boolean c) {
    return new ProbeOptions(
        model,
        api,
        promptSet,
        prompts,
        concurrency,
        samples,
        numPredict,
        numCtx,
        seed,
        think,
        c,
        firstTokenTimeout,
        totalTimeout);
  }

  public ProbeOptions withPrompts(String set, List<String> p) {
    return new ProbeOptions(
        model,
        api,
        set,
        p,
        concurrency,
        samples,
        numPredict,
        numCtx,
        seed,
        think,
        cold,
        firstTokenTimeout,
        totalTimeout);
  }
}
