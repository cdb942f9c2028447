package io.macfleet.controller.store;

import java.util.Locale;

/**
 * Where a probe run stands: asked of its agent, running, or ended one of four ways. Stored and sent as the
 * lowercase name ({@link #wire()}).
 */
public enum RunStatus {
  REQUESTED,
  RUNNING,
  /** The agent finished it and sent its result. */
  DONE,
  /** The agent ran it and it failed (every request failed, the model is missing, …). */
  FAILED,
  /** It never reached an agent (no live stream, revoked host). */
  MISSED,
  /** Its agent went away before sending a result (--run-timeout). */
  INCOMPLETE;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a run in this status is over. */
  public boolean ended() {
    return this != REQUESTED && this != RUNNING;
  }

  /** The status a stored or sent word names. */
  public static RunStatus of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
