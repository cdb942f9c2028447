package io.macfleet.controller.cli;

import io.macfleet.controller.fleet.FleetException;

/**
 * Distinct exit codes so scripts can tell what went wrong. Documented in the README. Those a controller's refusal
 * ends with come from its one error table ({@link FleetException.Kind}), so the terminal and the audit log agree.
 */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int ERROR = FleetException.Kind.OTHER_EXIT;
  public static final int USAGE = FleetException.Kind.INVALID.exitCode();
  public static final int UNREACHABLE = FleetException.Kind.UNAVAILABLE.exitCode();
  public static final int AUTH = FleetException.Kind.DENIED.exitCode();
  public static final int NOT_FOUND = FleetException.Kind.NOT_FOUND.exitCode();
  public static final int CONFLICT = FleetException.Kind.CONFLICT.exitCode();
  /** `replay`: a run failed, was missed, or became incomplete (the command itself worked). */
  public static final int RUNS_FAILED = 7;
  /** `drift --exit-code`: drift was found, as `git diff --exit-code` says a difference. */
  public static final int DIFFERENCES = 1;

  private ExitCodes() {}
}
