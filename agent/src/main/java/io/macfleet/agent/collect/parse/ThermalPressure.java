package io.macfleet.agent.collect.parse;

import java.util.Locale;

/** Thermal pressure as macOS names it: nominal, moderate, heavy, trapping, sleeping. */
public record ThermalPressure(int level, String name, String source) {
  static final String[] NAMES = {"nominal", "moderate", "heavy", "trapping", "sleeping"};

  public static ThermalPressure ofLevel(int level, String source) {
    return new ThermalPressure(level, NAMES[level], source);
  }

  /** "Nominal", "Moderate", … as powermetrics prints them; null when not one of the five. */
  public static ThermalPressure ofName(String name, String source) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(n)) {
        return new ThermalPressure(i, NAMES[i], source);
      }
    }
    return null;
  }
}
