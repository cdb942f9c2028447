package io.macfleet.agent.collect.clients;

import io.macfleet.proto.v1.Client;
import io.macfleet.proto.v1.ClientKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is calling Ollama on {@code port}, from the established sockets that touch it. A local caller holds the socket
 * whose remote end is the port on this host (loopback, or its own address); a remote caller shows only as the server's
 * socket whose peer is another machine. The server's sockets to local callers are the same connections seen from the
 * other end and are not counted twice.
 */
public final class ClientInventory {
  /** Bounds what one host reports however many callers it has. */
  public static final int MAX_CLIENTS = 64;

  private ClientInventory() {}

  /** A process may name itself anything: control characters become '?', and the name is cut to max. */
  static String printable(String name, int max) {
    StringBuilder b = new StringBuilder(Math.min(name.length(), max));
    for (int i = 0; i < name.length() && b.length() < max; i++) {
      char c = name.charAt(i);
      b.append(c < 0x20 || c >= 0x7f && c <= 0x9f ? '?' : c);
    }
    return b.toString();
  }

  public static List<Client> of(List<SocketOwner> sockets, int port) {
    Map<String, Client.Builder> byCaller = new LinkedHashMap<>();
    for (SocketOwner s : sockets) {
      if (s.remote() == null) {
        continue;
      }
      boolean toPort = s.remote().portNumber() == port;
      boolean fromPort = s.local().portNumber() == port;
      boolean remotePeer =
          !s.remote().loopback() && !s.remote().host().equals(s.local().host());
      if (toPort && !remotePeer) {
        Client.Builder b = byCaller.computeIfAbsent(
            "pid:" + s.pid(),
            k -> Client.newBuilder()
                .setName(s.command().isEmpty() ? "unknown" : printable(s.command(), 128))
                .setKind(ClientKinds.of(s.command()))
                .setPid(s.pid()));
        b.setConnections(b.getConnections() + 1);
      } else if (fromPort && remotePeer) {
        String key = "peer:" + s.remote().host();
        Client.Builder b = byCaller.computeIfAbsent(
            key,
            k -> Client.newBuilder()
                .setName(s.remote().host())
                .setKind(ClientKind.CLIENT_REMOTE)
                .setPeer(s.remote().host()));
        b.setConnections(b.getConnections() + 1);
      }
    }
    List<Client> out = new ArrayList<>();
    byCaller.values().forEach(b -> out.add(b.build()));
    out.sort(
        Comparator.comparingInt(Client::getConnections).reversed().thenComparing(Client::getName));
    return out.size() > MAX_CLIENTS ? List.copyOf(out.subList(0, MAX_CLIENTS)) : out;
  }
}
