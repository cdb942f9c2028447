package io.macfleet.agent.link.h2;

/** What a streaming call receives: its messages in order, then exactly one close. Never on the socket's reader. */
public interface CallListener<T> {
  void onMessage(T message);

  void onClose(CallStatus status);
}
