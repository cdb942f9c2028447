package io.macfleet.controller.fleet;

import java.util.regex.Pattern;

/** What host names and label keys/values may look like: safe in logs, tables, shells and SQL. */
public final class Names {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9][a-z0-9._/-]{0,62}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9._:/@+-]{0,255}");

  private Names() {}

  public static String host(String name) {
    if (name == null || !HOST.matcher(name).matches()) {
      throw new FleetException(
          FleetException.Kind.INVALID,
          "invalid host name '" + printable(name)
              + "': use letters, digits, '.', '_' and '-' (at most 128, starting with a letter or digit)");
    }
    return name;
  }

  public static void label(String key, String value) {
    if (key == null || !LABEL_KEY.matcher(key).matches()) {
      throw new FleetException(
          FleetException.Kind.INVALID,
          "invalid label key '" + printable(key)
              + "': lowercase letters, digits, '.', '_', '/', '-' (at most 63)");
    }
    if (value == null || !LABEL_VALUE.matcher(value).matches()) {
      throw new FleetException(
          FleetException.Kind.INVALID,
          "invalid value for label " + key + ": '" + printable(value) + "'");
    }
  }

  /**
   * Ollama's model name grammar: [[host/]namespace/]name[:tag]; each part starts with a letter or digit and holds
   * letters, digits, '.', '_' and '-' (so no part can be "..", and nothing a shell would act on).
   */
  private static final Pattern MODEL = Pattern.compile(
      "([A-Za-z0-9][A-Za-z0-9._-]{0,79}/){0,2}[A-Za-z0-9][A-Za-z0-9._-]{0,79}(:[A-Za-z0-9][A-Za-z0-9._-]{0,79})?");

  /** The model name, if it is one Ollama would accept; otherwise a refusal naming the grammar. */
  public static String model(String name) {
    if (name == null || !MODEL.matcher(name).matches()) {
      throw new FleetException(
          FleetException.Kind.INVALID,
          "'" + printable(name) + "' is not an Ollama model "
              + "name ([[host/]namespace/]name[:tag] of letters, digits, '.', '_' and '-')");
    }
    return name;
  }

  /** For echoing bad input back without letting control characters into a terminal or log. */
  public static String printable(String s) {
    if (s == null) {
      return "";
    }
    String t = s.length() > 80 ? s.substring(0, 80) + "…" : s;
    return t.replaceAll("\\p{Cntrl}", "?");
  }
}
