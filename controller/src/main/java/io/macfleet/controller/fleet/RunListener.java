package io.macfleet.controller.fleet;

import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.RunRow;
import io.macfleet.proto.v1.ProbeSpec;

/** What happens around runs beyond recording them: judging finished ones, sizing scheduled ones. */
public interface RunListener {
  /** A run completed with its samples (called off the gRPC thread). */
  void done(RunRow run);

  /** The spec a host gets for a replay; a scheduled probe may ask for more samples than its schedule says. */
  default ProbeSpec specFor(HostRow host, ProbeSpec spec, String purpose) {
    return spec;
  }

  RunListener NONE = run -> {};
}
