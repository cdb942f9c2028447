package io.macfleet.agent.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Built-in prompt sets, and user prompt files. Every prompt sent is opened by a unique nonce, so no request
 * can reuse another's prefix cache and inflate prefill.
 */
public final class PromptSets {
  public static final Map<String, List<String>> BUILT_IN = Map.of(
      "short-chat",
          List.of(
              "Explain in two sentences why the sky is blue.",
              "Give three tips for writing a clear commit message.",
              "What is the difference between a process and a thread?"),
      "coding",
          List.of(
              "Write a Python function that parses an ISO 8601 duration such as PT1H30M into seconds. "
                  + "Handle days, hours, minutes and seconds, reject malformed input with a ValueError, "
                  + "and include three doctest examples.",
              "Review this Java method and point out the bug:\n\npublic static int average(int[] xs) {\n"
                  + "  int sum = 0;\n  for (int i = 0; i <= xs.length; i++) sum += xs[i];\n  return sum / xs.length;\n}\n",
              "Write a SQL query that returns, per customer, the total of their three most recent orders, "
                  + "given tables customers(id, name) and orders(id, customer_id, placed_at, total)."),
      "long-context", List.of(longContext()));

  private PromptSets() {}

  public static List<String> of(String name) {
    List<String> p = BUILT_IN.get(name);
    if (p == null) {
      throw new IllegalArgumentException("unknown prompt set '" + name + "'; built in: "
          + String.join(", ", new java.util.TreeSet<>(BUILT_IN.keySet())) + " (or --prompt-file)");
    }
    return p;
  }

  /** A prompt file: prompts separated by lines holding only "---" (so prompts may span lines). */
  public static List<String> read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    for (String part : text.split("(?m)^---\\s*$")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    if (out.isEmpty()) {
      throw new IOException(file + " holds no prompts");
    }
    return out;
  }

  /** The nonce goes first: a shared opening would be served from the prefix cache. */
  public static String withNonce(String prompt, String nonce) {
    return "[probe " + nonce + "]\n" + prompt;
  }

  /** About 8k tokens (≈ 32k characters) of deterministic text, then a question about it. */
  static String longContext() {
    StringBuilder sb =
        new StringBuilder("Read the service log below and answer the question at the end.\n\n");
    java.util.Random r = new java.util.Random(8192);
    String[] levels = {"INFO", "INFO", "INFO", "WARN", "ERROR"};
    String[] events = {
      "request served",
      "cache miss",
      "cache hit",
      "retrying upstream",
      "slow query",
      "connection reset",
      "model loaded",
      "queue length grew"
    };
    int i = 0;
    while (sb.length() < 32_000) {
      sb.append(String.format(
          "2026-11-20T10:%02d:%02d.%03dZ %s worker-%d %s id=%06d latency_ms=%d%n",
          (i / 60) % 60,
          i % 60,
          r.nextInt(1000),
          levels[r.nextInt(levels.length)],
          r.nextInt(8),
          events[r.nextInt(events.length)],
          r.nextInt(1_000_000),
          r.nextInt(2000)));
      i++;
    }
    return sb.append(
            "\nQuestion: which worker logged the most ERROR lines, and what was its slowest latency?")
        .toString();
  }
}
