package io.macfleet.agent.collect.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `notifyutil -g com.apple.system.thermalpressurelevel`, readable without root: 0 nominal … 4 sleeping
 * (OSThermalNotification.h). notifyutil prints 0 for a key that does not exist, so a 0 alone proves little.
 */
public final class NotifyutilThermalParser {
  private static final Pattern LINE =
      Pattern.compile("com\\.apple\\.system\\.thermalpressurelevel\\s+(-?\\d+)");

  private NotifyutilThermalParser() {}

  public static ThermalPressure parse(String text) throws UnrecognisedOutput {
    Matcher m = LINE.matcher(text == null ? "" : text);
    if (!m.find()) {
      throw new UnrecognisedOutput(
          "expected 'com.apple.system.thermalpressurelevel <n>' (notifyutil -g)");
    }
    int level = Integer.parseInt(m.group(1));
    if (level < 0 || level > 4) {
      throw new UnrecognisedOutput(
          "thermal pressure level " + level + " is outside macOS's 0–4 (iOS scale?)");
    }
    return ThermalPressure.ofLevel(level, "notifyutil");
  }
}
