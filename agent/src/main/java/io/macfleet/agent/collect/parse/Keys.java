package io.macfleet.agent.collect.parse;

import java.util.Locale;

/** Turns a tool's label ("Pages wired down", "\"Translation faults\"") into a snake_case key. */
final class Keys {
  private Keys() {}

  static String snake(String label) {
    return label
        .strip()
        .replace("\"", "")
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_")
        .replaceAll("^_|_$", "");
  }
}
