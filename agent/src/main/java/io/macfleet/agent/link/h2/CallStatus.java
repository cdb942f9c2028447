package io.macfleet.agent.link.h2;

/**
 * How a call to the controller ended: a gRPC status code, the controller's (or this side's) description, and the
 * local cause when there is one (a TLS or socket failure, kept for {@code LinkErrors}). The description comes from
 * the network, so it is cut to a line of printable text before anything logs it.
 */
public record CallStatus(Code code, String description, Throwable cause) {
  /** gRPC's status codes, by their numbers on the wire. */
  public enum Code {
    OK,
    CANCELLED,
    UNKNOWN,
    INVALID_ARGUMENT,
    DEADLINE_EXCEEDED,
    NOT_FOUND,
    ALREADY_EXISTS,
    PERMISSION_DENIED,
    RESOURCE_EXHAUSTED,
    FAILED_PRECONDITION,
    ABORTED,
    OUT_OF_RANGE,
    UNIMPLEMENTED,
    INTERNAL,
    UNAVAILABLE,
    DATA_LOSS,
    UNAUTHENTICATED;

    /** The code with this number; UNKNOWN for a number gRPC does not define. */
    public static Code of(int value) {
      Code[] all = values();
      return value >= 0 && value < all.length ? all[value] : UNKNOWN;
    }

    public CallStatus status(String description) {
      return new CallStatus(this, description, null);
    }

    public CallStatus status(String description, Throwable cause) {
      return new CallStatus(this, description, cause);
    }
  }

  private static final int MAX_DESCRIPTION = 500;

  public CallStatus {
    description = printable(description);
  }

  public boolean ok() {
    return code == Code.OK;
  }

  public CallException asException() {
    return new CallException(this);
  }

  @Override
  public String toString() {
    return description == null ? code.name() : code + ": " + description;
  }

  /** One line of printable text, at most 500 characters: what a peer says must not forge log lines. */
  static String printable(String s) {
    if (s == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_DESCRIPTION + 1));
    for (int i = 0; i < s.length() && b.length() < MAX_DESCRIPTION; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
    }
    if (s.length() > MAX_DESCRIPTION) {
      b.append('…');
    }
    return b.toString();
  }
}
