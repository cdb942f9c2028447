package io.macfleet.agent.collect.parse;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `powermetrics` text ("**** Thermal pressure ****" then "Current pressure level: Nominal"; the last
 * sample wins) or `-f plist` (key thermal_pressure; several samples are NUL-separated, the first is read).
 * The default samplers have no thermal section: then thermalPressure is null.
 */
public final class PowermetricsParser {
  private static final Pattern LEVEL = Pattern.compile("Current pressure level:\\s*(\\w+)");
  private static final Pattern MODEL = Pattern.compile("(?m)^Machine model:\\s*(\\S+)");
  private static final Pattern OS = Pattern.compile("(?m)^OS version:\\s*(\\S+)");
  private static final Pattern BATTERY = Pattern.compile("Battery: percent_charge:\\s*(\\d+)");
  private static final Pattern SAMPLE = Pattern.compile("\\*\\*\\* Sampled system activity");

  private PowermetricsParser() {}

  public static PowermetricsSample parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    if (t.stripLeading().startsWith("<?xml") || t.stripLeading().startsWith("<plist")) {
      return plist(t);
    }
    ThermalPressure pressure = null;
    Matcher l = LEVEL.matcher(t);
    while (l.find()) {
      pressure = ThermalPressure.ofName(l.group(1), "powermetrics");
      if (pressure == null) {
        throw new UnrecognisedOutput("unknown thermal pressure level '" + l.group(1) + "'");
      }
    }
    Matcher m = MODEL.matcher(t);
    Matcher o = OS.matcher(t);
    Matcher b = BATTERY.matcher(t);
    String model = m.find() ? m.group(1) : null;
    if (pressure == null && model == null) {
      throw new UnrecognisedOutput(
          "expected 'Machine model:' or 'Current pressure level:' (powermetrics)");
    }
    int samples = 0;
    Matcher s = SAMPLE.matcher(t);
    while (s.find()) {
      samples++;
    }
    return new PowermetricsSample(
        model,
        o.find() ? o.group(1) : null,
        pressure,
        b.find() ? Integer.valueOf(b.group(1)) : null,
        null,
        samples);
  }

  private static PowermetricsSample plist(String t) throws UnrecognisedOutput {
    int nul = t.indexOf('\0');
    Map<String, Object> d = PlistReader.readDict(nul >= 0 ? t.substring(0, nul) : t);
    Object tp = d.get("thermal_pressure");
    ThermalPressure pressure =
        tp == null ? null : ThermalPressure.ofName(tp.toString(), "powermetrics");
    if (tp != null && pressure == null) {
      throw new UnrecognisedOutput("unknown thermal pressure level '" + tp + "'");
    }
    Object boot = d.get("kern_boottime");
    return new PowermetricsSample(
        (String) d.get("hw_model"),
        (String) d.get("kern_osversion"),
        pressure,
        null,
        boot instanceof Long l ? l : null,
        1);
  }
}
