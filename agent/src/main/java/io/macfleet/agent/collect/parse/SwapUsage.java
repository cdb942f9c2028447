package io.macfleet.agent.collect.parse;

/** vm.swapusage in bytes. */
public record SwapUsage(
    long swapTotalBytes, long swapUsedBytes, long swapFreeBytes, boolean encrypted) {}
