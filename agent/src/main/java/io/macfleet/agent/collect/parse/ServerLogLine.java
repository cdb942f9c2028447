package io.macfleet.agent.collect.parse;

import java.time.Duration;
import java.time.LocalDateTime;

/** A line of Ollama's server.log that Gate C reads: a request Gin logged, or a truncation warning. */
public sealed interface ServerLogLine {

  /** `[GIN] 2025/03/07 - 12:07:24 | 200 |  6.660335345s |  127.0.0.1 | POST  "/api/chat"`: logged when it ended. */
  record Request(
      LocalDateTime end, int status, Duration latency, String client, String method, String path)
      implements ServerLogLine {}

  /** `msg="truncating input prompt" limit=2048 prompt=5065` or `msg="truncating input messages …" truncated=2`. */
  record Truncation(boolean messages, Integer limit, Integer prompt) implements ServerLogLine {}
}
