package io.macfleet.controller.cli;

/**
 * A caller inside the controller's own process (the admin SSH endpoint) running a CLI command for a user it has
 * verified: the command calls the controller with the endpoint's in-memory credential and names that user, instead
 * of reading the admin-token file. Set for one command's run on its thread by {@link MacfleetMain}.
 */
public record InProcessCaller(String token, String actor) {
  static final ThreadLocal<InProcessCaller> CURRENT = new ThreadLocal<>();

  @Override
  public String toString() {
    return "InProcessCaller[" + actor + "]"; // never the token
  }
}
