package io.macfleet.agent.collect.clients;

import java.util.List;

/** The established TCP sockets that touch a port, with their owners: lsof on macOS, /proc on Linux, or a replay. */
public interface ConnectionSource {
  /** Throws Collector.NotApplicable when this host cannot say; any other exception means it failed. */
  List<SocketOwner> sockets(int port) throws Exception;
}
