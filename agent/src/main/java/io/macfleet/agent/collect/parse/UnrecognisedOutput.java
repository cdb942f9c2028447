package io.macfleet.agent.collect.parse;

/** A command printed something its parser does not recognise; the message says what was expected. */
public final class UnrecognisedOutput extends Exception {
  public UnrecognisedOutput(String message) {
    super(message);
  }
}
