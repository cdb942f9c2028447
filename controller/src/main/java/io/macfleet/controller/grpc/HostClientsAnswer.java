package io.macfleet.controller.grpc;

import io.macfleet.controller.interchange.ClientsWindow;
import io.macfleet.controller.interchange.Records;
import io.macfleet.proto.v1.Client;
import io.macfleet.proto.v1.ClientKind;
import io.macfleet.proto.v1.HostClients;
import io.macfleet.proto.v1.PathRequests;
import java.util.Locale;

/** A host's Gate C window as the admin API answers it. */
final class HostClientsAnswer {
  private HostClientsAnswer() {}

  static HostClients of(String host, ClientsWindow w) {
    HostClients.Builder b = HostClients.newBuilder()
        .setHost(host)
        .setObservations(w.observations())
        .setRequests(w.requests())
        .setServerErrors(w.serverErrors())
        .setTruncatedPrompts(w.truncatedPrompts())
        .setTruncatedMessages(w.truncatedMessages());
    if (w.lastObserved() != null) {
      b.setLastObserved(io.macfleet.shared.ProtoTime.of(w.lastObserved()));
    }
    if (w.maxInFlight() != null) {
      b.setMaxInFlight(w.maxInFlight());
    }
    if (w.contextLimit() != null) {
      b.setContextLimit(w.contextLimit());
    }
    if (w.largestPromptTokens() != null) {
      b.setLargestPromptTokens(w.largestPromptTokens());
    }
    for (Records.Caller k : w.callers()) {
      Client.Builder c = Client.newBuilder()
          .setName(k.name())
          .setKind(kind(k.kind()))
          .setConnections(k.connections());
      if (k.pid() != null) {
        c.setPid(k.pid());
      }
      if (k.peer() != null) {
        c.setPeer(k.peer());
      }
      b.addClients(c);
    }
    for (Records.PathCount p : w.paths()) {
      b.addPaths(PathRequests.newBuilder()
          .setMethod(p.method())
          .setPath(p.path())
          .setRequests(p.requests())
          .setServerErrors(p.serverErrors()));
    }
    return b.build();
  }

  private static ClientKind kind(String word) {
    try {
      return ClientKind.valueOf("CLIENT_" + word.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return ClientKind.CLIENT_OTHER;
    }
  }
}
