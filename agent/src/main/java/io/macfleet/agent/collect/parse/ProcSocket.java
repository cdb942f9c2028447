package io.macfleet.agent.collect.parse;

/** One row of /proc/net/tcp or tcp6: endpoints (v4-mapped IPv6 shown as IPv4), TCP state and the socket's inode. */
public record ProcSocket(Endpoint local, Endpoint remote, int state, long inode) {
  public static final int ESTABLISHED = 1;
  public static final int LISTEN = 10;
}
