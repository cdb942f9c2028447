package io.macfleet.agent.collect.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits machdep.cpu.brand_string ("Apple M4 Pro") into generation and tier. */
public final class ChipParser {
  private static final Pattern APPLE =
      Pattern.compile("^Apple (M\\d+)(?:\\s+(Pro|Max|Ultra))?\\b.*$");

  private ChipParser() {}

  public static Chip parse(String brand) {
    String b = brand == null ? "" : brand.strip();
    Matcher m = APPLE.matcher(b);
    if (!m.matches()) {
      return new Chip(b, "", "");
    }
    return new Chip(b, m.group(1), m.group(2) == null ? "base" : m.group(2));
  }
}
