package io.macfleet.agent.link.h2;

/** The sending half of a streaming call. Each method throws {@link CallException} once the call has ended. */
public interface CallSender<T> {
  void send(T message);

  /** No more messages from this side; the controller may still answer. */
  void halfClose();

  /** Ends the call now (RST_STREAM CANCEL); the listener is closed with CANCELLED. */
  void cancel(String why);
}
