package io.macfleet.controller.cli;

import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * The one `--since` of every command that reads a window of time: a duration back from now or an ISO time.
 * $MACFLEET_SINCE sets it for every command; without it, each command's own default, which it passes to
 * {@link #from} and which the description below lists.
 */
final class SinceOption {
  static final String ENV = "MACFLEET_SINCE";

  @Option(
      names = "--since",
      paramLabel = "WHEN",
      defaultValue = "${env:" + ENV + "}",
      description =
          "A duration back from now (90m, 24h, 7d) or an ISO time like 2026-11-22T10:00:00Z "
              + "(default: $" + ENV
              + ", else 24h for events and clients, 7d for audit, baseline, report and "
              + "verdicts, 30d for export and gate).")
  String since;

  /** The start of the window: what was given, else the command's default. */
  Instant from(String commandDefault) {
    return TimeArg.since(since == null || since.isBlank() ? commandDefault : since, Instant.now());
  }
}
