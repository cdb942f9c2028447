package io.macfleet.controller.interchange;

import java.util.Locale;
import java.util.Optional;

/** Why a run was made, as the interchange format and the database spell it ({@link #wire()}). */
public enum RunPurpose {
  /** A schedule fired it. */
  SCHEDULED,
  /** Someone ran `macfleet replay`. */
  MANUAL,
  /** The verdict engine's replay on a control Mac: evidence for another run's verdict, never a candidate. */
  CONTROL_REPLAY,
  /** The rollback ladder's probe after a step. */
  ROLLBACK_CHECK;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean is(String wire) {
    return wire().equals(wire);
  }

  public static Optional<RunPurpose> of(String wire) {
    for (RunPurpose p : values()) {
      if (p.is(wire)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
