package io.macfleet.controller.fleet;

import io.grpc.Status;

/**
 * A refusal the caller can act on. Its kind is the product's one error table: the gRPC status the server answers
 * with, and the exit code the CLI ends with and the audit log records (documented in the README).
 */
public final class FleetException extends RuntimeException {
  public enum Kind {
    INVALID(Status.Code.INVALID_ARGUMENT, 2),
    DENIED(Status.Code.PERMISSION_DENIED, 4),
    NOT_FOUND(Status.Code.NOT_FOUND, 5),
    CONFLICT(Status.Code.ALREADY_EXISTS, 6),
    /** Not now: the storage is failing or the controller is stopping; retry later. */
    UNAVAILABLE(Status.Code.UNAVAILABLE, 3),
    /** Not now: the caller sends faster than its limit; retry later. */
    RATE_LIMITED(Status.Code.RESOURCE_EXHAUSTED, 3);

    /** Exit code for anything the table does not name (an unexpected failure). */
    public static final int OTHER_EXIT = 1;

    private final Status.Code status;
    private final int exitCode;

    Kind(Status.Code status, int exitCode) {
      this.status = status;
      this.exitCode = exitCode;
    }

    public Status.Code status() {
      return status;
    }

    public int exitCode() {
      return exitCode;
    }

    /**
     * The exit code for a status as a client receives it: the table's, read backwards, plus the statuses gRPC itself
     * produces (a dead connection, a deadline, a refused credential).
     */
    public static int exitCode(Status.Code code) {
      for (Kind k : values()) {
        if (k.status == code) {
          return k.exitCode;
        }
      }
      return switch (code) {
        case UNAUTHENTICATED -> DENIED.exitCode;
        case DEADLINE_EXCEEDED -> UNAVAILABLE.exitCode;
        case FAILED_PRECONDITION -> CONFLICT.exitCode;
        default -> OTHER_EXIT;
      };
    }

    /** The exit code the audit log records for a failure on the server. */
    public static int exitCode(Throwable e) {
      return e instanceof FleetException f ? f.kind().exitCode : OTHER_EXIT;
    }
  }

  private final Kind kind;

  public FleetException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
