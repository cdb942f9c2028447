package io.macfleet.agent.collect.parse;

/** Number parsing that tolerates what real captures contain: decimal commas, trailing dots, stray spaces. */
final class Numbers {
  private Numbers() {}

  static Long longOrNull(String s) {
    if (s == null) {
      return null;
    }
    String t = s.strip();
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Integer intOrNull(String s) {
    Long l = longOrNull(s);
    return l == null || l > Integer.MAX_VALUE || l < Integer.MIN_VALUE ? null : l.intValue();
  }

  /** "1017.50" or "1017,50" (a comma-decimal locale) */
  static double decimal(String s) {
    return Double.parseDouble(s.strip().replace(',', '.'));
  }

  /** A size with a K/M/G/T suffix (binary units, as sysctl prints them) in bytes. */
  static long bytes(String number, String unit) {
    double v = decimal(number);
    long mult = switch (unit == null ? "" : unit.toUpperCase(java.util.Locale.ROOT)) {
      case "K" -> 1L << 10;
      case "M" -> 1L << 20;
      case "G" -> 1L << 30;
      case "T" -> 1L << 40;
      default -> 1L;
    };
    return Math.round(v * mult);
  }
}
