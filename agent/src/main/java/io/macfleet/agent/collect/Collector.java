package io.macfleet.agent.collect;

import io.macfleet.proto.v1.Telemetry;

/**
 * One signal family. A collector fills its part of the telemetry, or throws NotApplicable when the signal
 * does not exist on this host; any other exception means it failed, and the snapshot carries on.
 */
public interface Collector {
  String name();

  void collect(Telemetry.Builder into) throws Exception;

  /** The signal does not exist here (no battery, no lid, a tool missing on this OS). */
  final class NotApplicable extends Exception {
    public NotApplicable(String why) {
      super(why);
    }
  }
}
