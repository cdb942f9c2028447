package io.macfleet.agent.collect.parse;

/** `uptime`: seconds since boot (to the minute), users and load averages. */
public record Uptime(long upSeconds, Integer users, Double load1, Double load5, Double load15) {}
