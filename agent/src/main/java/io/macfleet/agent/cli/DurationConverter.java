package io.macfleet.agent.cli;

import java.time.Duration;
import picocli.CommandLine;

/** The agent's duration options, in the grammar agent and controller share; a bare number is seconds. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    return io.macfleet.shared.Durations.parse(value, "s")
        .orElseThrow(() -> new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration like " + io.macfleet.shared.Durations.EXAMPLES));
  }
}
