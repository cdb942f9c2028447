package io.macfleet.controller.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** `--since` values: a duration back from now ("90m", "24h", "7d") or an ISO-8601 instant. */
final class TimeArg {
  private TimeArg() {}

  static Instant since(String value, Instant now) {
    String v = value.strip();
    var m = java.util.regex.Pattern.compile("(\\d+)(s|m|h|d)").matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e2) {
        throw new CliException(ExitCodes.USAGE, "--since takes a duration like 90m, 24h, 7d or an ISO time like "
            + "2026-11-22T10:00:00Z, not '" + value + "'");
      }
    }
  }
}
