package io.macfleet.controller.cli;

import java.time.Duration;

/**
 * The controller's options read durations in the one grammar agent and controller share
 * ({@link io.macfleet.shared.Durations}); this turns a bad value into the CLI's usage error.
 */
final class DurationArg {
  private DurationArg() {}

  /** The duration in {@code value}, or empty when it is not one (the caller words the error). */
  static java.util.Optional<Duration> tryParse(String value) {
    return io.macfleet.shared.Durations.parse(value, null);
  }

  /**
   * The duration an option was given; a bare number is read in {@code bareUnit} (null: not allowed), so spellings
   * scripts already use keep working.
   */
  static Duration parse(String option, String value, String bareUnit) {
    return io.macfleet.shared.Durations.parse(value, bareUnit)
        .orElseThrow(() -> new CliException(
            ExitCodes.USAGE,
            option + " takes a duration like " + io.macfleet.shared.Durations.EXAMPLES + ", not '"
                + value + "'"));
  }
  /** A retention: a duration, or "forever" to keep everything (null). */
  static Duration retention(String option, String value) {
    if (value.strip().equalsIgnoreCase("forever")) {
      return null;
    }
    Duration d = parse(option, value, null);
    if (d.compareTo(Duration.ofHours(1)) < 0) {
      throw new CliException(
          ExitCodes.USAGE, option + " must be at least 1h (or 'forever'), not '" + value + "'");
    }
    return d;
  }
}
