package io.macfleet.agent.collect.parse;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's time.Duration.String(): "0s", "20.916µs", "363µs", "1.193025ms", "11.275035333s", "29m59s", "1h2m3.5s". */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s|µs|us|μs|ns)");

  private GoDuration() {}

  /** The duration, or null when the text is not one. */
  public static Duration parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    Matcher m = PART.matcher(s);
    int at = 0;
    double nanos = 0;
    while (at < s.length() && m.find(at) && m.start() == at) {
      double v = Double.parseDouble(m.group(1));
      nanos += v
          * switch (m.group(2)) {
            case "h" -> 3_600e9;
            case "m" -> 60e9;
            case "s" -> 1e9;
            case "ms" -> 1e6;
            case "ns" -> 1;
            default -> 1e3; // µs (U+00B5), μs (U+03BC), us
          };
      at = m.end();
    }
    return at == s.length() && at > 0 ? Duration.ofNanos(Math.round(nanos)) : null;
  }
}
