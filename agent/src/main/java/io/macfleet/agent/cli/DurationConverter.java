package io.macfleet.agent.cli;

import java.time.Duration;
import picocli.CommandLine;

/** "15s", "500ms", "2m", "1h" or a bare number of seconds. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return parse(value);
  }

  public static Duration parse(String value) {
    String v = value.strip().toLowerCase(java.util.Locale.ROOT);
    var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(v);
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 15s, 500ms, 2m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
