package io.macfleet.controller.cli;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** `--since` values: a duration back from now ("90m", "24h", "7d", see {@link DurationArg}) or an ISO-8601 instant. */
final class TimeArg {
  private TimeArg() {}

  static Instant since(String value, Instant now) {
    String v = value.strip();
    var d = DurationArg.tryParse(v);
    if (d.isPresent()) {
      return now.minus(d.get());
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(v);
      } catch (DateTimeParseException e2) {
        throw new CliException(
            ExitCodes.USAGE,
            "--since takes a duration like 90m, 24h, 7d or an ISO time like "
                + "2026-11-22T10:00:00Z, not '" + value + "'");
      }
    }
  }
}
