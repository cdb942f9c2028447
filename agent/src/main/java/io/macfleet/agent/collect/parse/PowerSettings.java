package io.macfleet.agent.collect.parse;

import java.util.List;
import java.util.Map;

/**
 * `pmset -g` / `-g custom`: settings per section ("Currently in use", "Battery Power", …), who prevents
 * sleep, and low power mode (lowpowermode 0/1, or powermode 0 auto / 1 low / 2 high).
 */
public record PowerSettings(
    Map<String, Map<String, String>> sections,
    List<String> sleepPreventedBy,
    List<String> displaySleepPreventedBy,
    Boolean sleepDisabled,
    Boolean lowPowerMode,
    Integer powerMode) {}
