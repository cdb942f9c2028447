package io.macfleet.agent.collect.parse;

/** What macfleet takes from `powermetrics` (root only): thermal pressure and the header facts. */
public record PowermetricsSample(
    String machineModel,
    String osBuild,
    ThermalPressure thermalPressure,
    Integer batteryPercent,
    Long bootTimeEpoch,
    Integer samples) {}
