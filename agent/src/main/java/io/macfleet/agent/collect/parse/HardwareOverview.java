package io.macfleet.agent.collect.parse;

/** `system_profiler SPHardwareDataType` (text or -json). timeSinceBootSeconds comes from SPSoftwareDataType. */
public record HardwareOverview(
    String modelName,
    String modelIdentifier,
    String chip,
    Integer totalCores,
    Integer performanceCores,
    Integer efficiencyCores,
    Long memoryBytes,
    String osVersion,
    Long timeSinceBootSeconds) {}
