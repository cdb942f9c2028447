package io.macfleet.agent.probe;

/**
 * One request of a run. Client times are from a monotonic clock, in milliseconds; Ollama's durations are
 * its nanoseconds. Rates are null when their inputs are missing (an error, a cache hit with zero duration).
 */
public record ProbeSample(
    int concurrency,
    int stream,
    int ordinal,
    String phase, // "cold", "warmup" or "steady"
    String at, // wall-clock time the request was sent (ISO-8601)
    Double ttftMs, // client: request sent → first chunk with content or thinking
    Double e2eMs,
    Double interTokenP50Ms,
    Double interTokenP95Ms,
    int chunks,
    long loadDurationNs,
    int promptEvalCount,
    long promptEvalDurationNs,
    int evalCount,
    long evalDurationNs,
    long totalDurationNs,
    Double prefillTokensPerSecond,
    Double decodeTokensPerSecond,
    Double queueMs, // total − load − prompt_eval − eval: waiting for a runner slot, mostly
    String doneReason,
    ErrorClass error,
    String errorMessage) {

  public boolean ok() {
    return error == ErrorClass.NONE;
  }
}
