package io.macfleet.agent.collect.parse;

import java.util.Map;

/**
 * What macfleet reads from sysctl; every field is null when its key was not in the output.
 * Times are epoch seconds; memory pressure is "normal", "warn" or "critical".
 */
public record SysctlFacts(
    String hwModel,
    Long memsizeBytes,
    String cpuBrand,
    Integer performanceCores,
    Integer efficiencyCores,
    Integer logicalCpus,
    Long bootTime,
    Long sleepTime,
    Long wakeTime,
    String wakeReason,
    String osProductVersion,
    String osBuild,
    SwapUsage swap,
    String memoryPressure,
    Boolean virtualMachine,
    Map<String, String> values) {}
