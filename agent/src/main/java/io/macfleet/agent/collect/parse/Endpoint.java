package io.macfleet.agent.collect.parse;

import java.util.Locale;

/** One end of a TCP connection as lsof or /proc prints it: a host (address or name) and a port (number or service). */
public record Endpoint(String host, String port) {

  /** "127.0.0.1:11434", "[::1]:11434", "*:11434", "siky-mac-mini:https"; null when there is no port separator. */
  public static Endpoint parse(String s) {
    if (s == null) {
      return null;
    }
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      return null;
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Endpoint(host, s.substring(colon + 1));
  }

  /** The port as a number, or -1 when it is a service name (lsof without -P). */
  public int portNumber() {
    try {
      return Integer.parseInt(port);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** IPv4 127/8, IPv6 ::1, their v4-mapped forms and the name localhost. */
  public boolean loopback() {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("::ffff:")) {
      h = h.substring(7);
    }
    return h.startsWith("127.") || h.equals("::1") || h.equals("localhost");
  }
}
