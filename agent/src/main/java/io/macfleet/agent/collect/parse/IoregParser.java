package io.macfleet.agent.collect.parse;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds IOPlatformUUID in `ioreg -rd1 -c IOPlatformExpertDevice` output. */
public final class IoregParser {
  private static final Pattern UUID = Pattern.compile(
      "\"IOPlatformUUID\"\\s*=\\s*\"([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\"");

  private IoregParser() {}

  public static Optional<String> platformUuid(String output) {
    if (output == null) {
      return Optional.empty();
    }
    Matcher m = UUID.matcher(output);
    return m.find() ? Optional.of(m.group(1).toUpperCase(java.util.Locale.ROOT)) : Optional.empty();
  }
}
