package io.macfleet.agent.link.h2;

/** A call to the controller that did not end OK: its status says how (the code), why, and the local cause. */
public final class CallException extends RuntimeException {
  private final CallStatus status;

  public CallException(CallStatus status) {
    super(status.toString(), status.cause());
    this.status = status;
  }

  public CallStatus status() {
    return status;
  }

  public CallStatus.Code code() {
    return status.code();
  }
}
