package io.macfleet.agent.link.h2;

/** The agent's controller addresses: HOST:PORT, or several comma-separated for failover, checked as written. */
public final class ControllerAddresses {
  private ControllerAddresses() {}

  /** Whether HOST:PORT names this machine by a loopback name or address (no DNS lookup: a name is taken as written). */
  public static boolean isLoopback(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    String host = (colon > 0 ? hostPort.substring(0, colon) : hostPort)
        .replace("[", "")
        .replace("]", "")
        .strip();
    return host.equalsIgnoreCase("localhost")
        || host.equals("::1")
        || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  /** Catches "http://...", missing ports and stray text before a connection attempt gives a vaguer error. */
  public static void validate(String target) {
    if (target == null) {
      throw new IllegalArgumentException("controller address must be HOST:PORT, got: null");
    }
    for (String t : target.split(",", -1)) {
      if (!t.strip().matches("(\\[[0-9a-fA-F:]+\\]|[A-Za-z0-9.-]+):\\d{1,5}")) {
        throw new IllegalArgumentException(
            "controller address must be HOST:PORT (or several, comma-separated), got: " + target);
      }
      int port = Integer.parseInt(t.substring(t.lastIndexOf(':') + 1).strip());
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("controller port must be 1 to 65535, got: " + t.strip());
      }
    }
  }
}
