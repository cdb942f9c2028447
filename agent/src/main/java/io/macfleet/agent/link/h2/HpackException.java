package io.macfleet.agent.link.h2;

/** A header block that cannot be decoded: a connection error (COMPRESSION_ERROR), the connection is closed. */
final class HpackException extends Exception {
  HpackException(String message) {
    super(message);
  }
}
