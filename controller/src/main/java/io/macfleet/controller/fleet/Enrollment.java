package io.macfleet.controller.fleet;

/** The outcome of enrolling: the host's id and its node key, which is shown only this once. */
public record Enrollment(String hostId, String nodeKey, int epoch) {}
