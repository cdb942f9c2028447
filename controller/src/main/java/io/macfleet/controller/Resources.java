package io.macfleet.controller;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a controller has opened, closed in the reverse order: once at shutdown, or at once when a later part fails
 * to start, so a failed start leaves no thread, port or open database behind.
 */
final class Resources implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Resources.class);

  /** Something to close that may throw a checked exception. */
  interface Closer {
    void close() throws Exception;
  }

  private final Deque<Closer> opened = new ArrayDeque<>();

  /** Remembers {@code c} to be closed before everything added earlier; returns it. */
  <T extends AutoCloseable> T add(T c) {
    opened.push(c::close);
    return c;
  }

  /** Remembers a closing step that is not a resource of its own (ending streams before the server stops). */
  void onClose(Closer c) {
    opened.push(c);
  }

  @Override
  public void close() {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception | Error e) {
        log.warn("closing the controller: a part failed to close; closing the rest", e);
      }
    }
  }
}
