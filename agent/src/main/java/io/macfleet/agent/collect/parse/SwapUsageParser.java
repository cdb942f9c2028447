package io.macfleet.agent.collect.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * `sysctl vm.swapusage` (with or without the key, or with a capture label such as "Swap:"):
 * "total = 2048.00M  used = 1017.50M  free = 1030.50M  (encrypted)", decimal commas allowed.
 */
public final class SwapUsageParser {
  private static final Pattern SWAP = Pattern.compile(
      "total\\s*=\\s*([\\d.,]+)\\s*([KMGT]?)\\s+used\\s*=\\s*([\\d.,]+)\\s*([KMGT]?)\\s+free\\s*=\\s*([\\d.,]+)\\s*([KMGT]?)",
      Pattern.CASE_INSENSITIVE);

  private SwapUsageParser() {}

  public static SwapUsage parse(String text) throws UnrecognisedOutput {
    Matcher m = SWAP.matcher(text == null ? "" : text);
    if (!m.find()) {
      throw new UnrecognisedOutput("expected 'total = …M  used = …M  free = …M' (vm.swapusage)");
    }
    return new SwapUsage(
        Numbers.bytes(m.group(1), m.group(2)),
        Numbers.bytes(m.group(3), m.group(4)),
        Numbers.bytes(m.group(5), m.group(6)),
        text.contains("(encrypted)"));
  }
}
