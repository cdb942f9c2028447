package io.macfleet.shared;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration grammar of macfleet's command lines, agent and controller alike: a whole number and a unit,
 * {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} or {@code w} ("500ms", "15s", "30d"). Options that took a
 * bare number before say which unit it means, so the spellings scripts already use keep working.
 */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d{1,12})(ms|s|m|h|d|w)");
  private static final Pattern BARE = Pattern.compile("\\d{1,12}");

  private Durations() {}

  /** The duration in {@code value}, with {@code bareUnit} for a bare number (null: a bare number is refused). */
  public static Optional<Duration> parse(String value, String bareUnit) {
    if (value == null) {
      return Optional.empty();
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (bareUnit != null && BARE.matcher(v).matches()) {
      v = v + bareUnit;
    }
    Matcher m = FORM.matcher(v);
    if (!m.matches()) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        });
  }

  /** How the grammar is described in error messages. */
  public static final String EXAMPLES = "500ms, 90s, 15m, 24h or 30d";
}
