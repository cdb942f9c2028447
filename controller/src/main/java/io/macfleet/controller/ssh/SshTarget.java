package io.macfleet.controller.ssh;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where and as whom to reach a host over SSH: the host's labels ssh.host, ssh.port and ssh.user, else its
 * name, port 22 and the user "macfleet". Every part is checked, since it ends up in a connection.
 */
public record SshTarget(String host, String address, int port, String user) {
  private static final Pattern ADDRESS =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9a-fA-F:]+\\]");
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
  public static final String DEFAULT_USER = "macfleet";

  public static SshTarget of(String host, Map<String, String> labels) {
    String address = labels.getOrDefault("ssh.host", host);
    String user = labels.getOrDefault("ssh.user", DEFAULT_USER);
    String portText = labels.getOrDefault("ssh.port", "22");
    if (!ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException("ssh.host '" + AdminSshPolicy.printable(address) + "' of "
          + host + " is not a host name or address");
    }
    if (!USER.matcher(user).matches()) {
      throw new IllegalArgumentException(
          "ssh.user '" + AdminSshPolicy.printable(user) + "' of " + host + " is not a user name");
    }
    int port;
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "ssh.port '" + AdminSshPolicy.printable(portText) + "' of " + host + " is not a port");
    }
    return new SshTarget(
        host,
        address.startsWith("[") ? address.substring(1, address.length() - 1) : address,
        port,
        user);
  }

  /** The known_hosts name: host, or [host]:port off port 22 (as OpenSSH writes it). */
  public String knownHostsName() {
    return port == 22 ? address : "[" + address + "]:" + port;
  }
}
