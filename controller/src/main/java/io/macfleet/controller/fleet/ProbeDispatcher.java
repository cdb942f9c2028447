package io.macfleet.controller.fleet;

import io.macfleet.proto.v1.RunProbe;

/** Sends work to a connected agent; false when the host has no live stream here. */
@FunctionalInterface
public interface ProbeDispatcher {
  boolean dispatch(String hostId, RunProbe work);
}
