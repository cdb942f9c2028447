package io.macfleet.agent.collect.parse;

import java.util.Map;

/** `memory_pressure` (the bare command; never `-l`, which creates real pressure). */
public record MemoryPressure(
    Long totalBytes, Long pageSize, Integer freePercent, Map<String, Long> counters) {}
