package io.macfleet.controller.cli;

/** Distinct exit codes so scripts can tell what went wrong. Documented in the README. */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int ERROR = 1;
  public static final int USAGE = 2;
  public static final int UNREACHABLE = 3;
  public static final int AUTH = 4;
  public static final int NOT_FOUND = 5;

  private ExitCodes() {}
}
