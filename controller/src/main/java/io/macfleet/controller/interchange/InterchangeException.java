package io.macfleet.controller.interchange;

/** A line that is not a valid record; carries its 1-based line number. */
public final class InterchangeException extends Exception {
  private final long line;

  public InterchangeException(long line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  public long line() {
    return line;
  }
}
