package io.macfleet.agent.collect.parse;

import java.util.Optional;

/**
 * Parses `sw_vers` output. Real captures differ in separators (one tab, two tabs, spaces),
 * may carry a label prefix ("sw_vers: ProductName:") and may lack lines (no ProductName in a
 * fragment, no ProductVersionExtra without an RSR/BSI).
 */
public final class SwVersParser {
  private SwVersParser() {}

  /** Empty when neither a version nor a build could be found: "unrecognised output". */
  public static Optional<SwVers> parse(String output) {
    String name = "";
    String version = "";
    String extra = "";
    String build = "";
    if (output == null) {
      return Optional.empty();
    }
    for (String raw : output.split("\\R")) {
      String line = raw.strip();
      for (String key :
          new String[] {"ProductName", "ProductVersionExtra", "ProductVersion", "BuildVersion"}) {
        int at = line.indexOf(key + ":");
        if (at < 0) {
          continue;
        }
        String value = line.substring(at + key.length() + 1).strip();
        switch (key) {
          case "ProductName" -> name = value;
          case "ProductVersionExtra" -> extra = value;
          case "ProductVersion" -> version = value;
          default -> build = value;
        }
        break;
      }
    }
    if (version.isEmpty() && build.isEmpty()) {
      return Optional.empty();
    }
    if (!version.isEmpty() && !version.matches("\\d+(\\.\\d+){0,2}")) {
      return Optional.empty();
    }
    return Optional.of(new SwVers(name, version, extra, build));
  }
}
