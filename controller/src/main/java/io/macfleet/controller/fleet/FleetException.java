package io.macfleet.controller.fleet;

/** A refusal the caller can act on; the gRPC layer maps the kind to a status code. */
public final class FleetException extends RuntimeException {
  public enum Kind { INVALID, NOT_FOUND, DENIED, CONFLICT, UNAVAILABLE }

  private final Kind kind;

  public FleetException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
