package io.macfleet.agent.collect.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IOPMrootDomain properties from `ioreg -r -k AppleClamshellState -d 1 -w0`. */
public final class IoregClamshellParser {
  private static final Pattern STATE = Pattern.compile("\"AppleClamshellState\"\\s*=\\s*(Yes|No)");
  private static final Pattern CAUSES =
      Pattern.compile("\"AppleClamshellCausesSleep\"\\s*=\\s*(Yes|No)");
  private static final Pattern SLEEP =
      Pattern.compile("\"Last Sleep Reason\"\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern WAKE = Pattern.compile("\"Wake Reason\"\\s*=\\s*\"([^\"]*)\"");
  private static final Pattern SPEED = Pattern.compile("\"CPU_Speed_Limit\"=(\\d+)");

  private IoregClamshellParser() {}

  public static Clamshell parse(String text) throws UnrecognisedOutput {
    String t = text == null ? "" : text;
    if (!t.contains("IOPMrootDomain") && !t.contains("AppleClamshell")) {
      throw new UnrecognisedOutput(
          "expected the IOPMrootDomain entry (ioreg -r -k AppleClamshellState)");
    }
    Matcher st = STATE.matcher(t);
    Matcher c = CAUSES.matcher(t);
    Matcher s = SLEEP.matcher(t);
    Matcher w = WAKE.matcher(t);
    Matcher sp = SPEED.matcher(t);
    return new Clamshell(
        st.find() ? st.group(1).equals("Yes") : null,
        c.find() ? c.group(1).equals("Yes") : null,
        s.find() ? s.group(1) : null,
        w.find() ? w.group(1) : null,
        sp.find() ? Integer.valueOf(sp.group(1)) : null);
  }
}
