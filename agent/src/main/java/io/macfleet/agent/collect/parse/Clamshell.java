package io.macfleet.agent.collect.parse;

/**
 * `ioreg -r -k AppleClamshellState`: lidClosed is null when the key is absent (desktops have no lid, and
 * some captures stop before it). Lid closed while the clamshell does not cause sleep means docked.
 */
public record Clamshell(
    Boolean lidClosed,
    Boolean clamshellCausesSleep,
    String lastSleepReason,
    String wakeReason,
    Integer cpuSpeedLimit) {}
