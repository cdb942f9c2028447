package io.macfleet.controller.store;

/** A database failure, with the operation that failed in its message. */
public final class StoreException extends RuntimeException {
  public StoreException(String operation, Throwable cause) {
    super(cause == null ? operation : operation + " failed: " + cause.getMessage(), cause);
  }
}
