package io.macfleet.agent.collect.parse;

/**
 * `pmset -g therm` / `thermlog`. On Apple Silicon only the three "Note: No … has been recorded" lines
 * appear (appleSiliconShape), which says nothing about throttling; Intel Macs add CPU power limits.
 */
public record ThermStatus(
    boolean appleSiliconShape,
    Integer cpuSchedulerLimit,
    Integer cpuAvailableCpus,
    Integer cpuSpeedLimit,
    Integer thermalWarningLevel,
    Integer performanceWarningLevel,
    String recordedAt) {

  /** Intel throttling: a speed or scheduler limit under 100 %. */
  @com.fasterxml.jackson.annotation.JsonProperty("throttled")
  public boolean throttled() {
    return cpuSpeedLimit != null && cpuSpeedLimit < 100
        || cpuSchedulerLimit != null && cpuSchedulerLimit < 100;
  }
}
