package io.macfleet.controller.fleet;

import java.util.Optional;

/** Where a run's work goes when several controllers share the fleet. The default is one controller alone. */
public interface RunRouting {
  /** Takes the run for this controller to push; false when another controller already has. */
  boolean claim(String runId);

  /** Gives a claimed run back (the push failed), so whichever controller holds the stream can take it. */
  void release(String runId);

  /** The other controller that holds the host's stream right now, if any. */
  Optional<String> heldElsewhere(String hostId);

  /**
   * Asks the controller holding the host's stream to have its agent report now; false when no other controller
   * holds it.
   */
  default boolean requestReportElsewhere(String hostId) {
    return false;
  }

  RunRouting ALONE = new RunRouting() {
    @Override
    public boolean claim(String runId) {
      return true;
    }

    @Override
    public void release(String runId) {
      // nobody else to hand it to
    }

    @Override
    public Optional<String> heldElsewhere(String hostId) {
      return Optional.empty();
    }
  };
}
