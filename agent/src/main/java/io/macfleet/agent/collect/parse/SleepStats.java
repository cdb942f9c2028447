package io.macfleet.agent.collect.parse;

/** `pmset -g stats`. */
public record SleepStats(Integer sleepCount, Integer darkWakeCount, Integer userWakeCount) {}
