package io.macfleet.controller.interchange;

import io.macfleet.proto.v1.Client;
import io.macfleet.proto.v1.ClientKind;
import io.macfleet.proto.v1.Clients;
import io.macfleet.proto.v1.CollectorStatus;
import io.macfleet.proto.v1.PathRequests;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An agent's Gate C report as the interchange's clients record; empty when it observed no caller and no request. */
public final class ClientsMapper {
  private ClientsMapper() {}

  public static Optional<Records.Clients> of(String host, Instant at, Clients c) {
    boolean logRead = c.getLogStatus().getOutcome() == CollectorStatus.Outcome.OK;
    var log = c.getLog();
    if (c.getClientsCount() == 0
        && log.getRequests() == 0
        && log.getTruncatedPrompts() + log.getTruncatedMessages() == 0) {
      return Optional.empty();
    }
    List<Records.Caller> callers = c.getClientsList().stream()
        .map(k -> new Records.Caller(
            k.getName(),
            kind(k.getKind()),
            k.getPid() == 0 ? null : k.getPid(),
            k.getConnections(),
            k.getPeer().isEmpty() ? null : k.getPeer()))
        .toList();
    List<Records.PathCount> paths =
        log.getPathsList().stream().map(ClientsMapper::path).toList();
    return Optional.of(new Records.Clients(
        host,
        at,
        c.getClientsList().stream().mapToInt(Client::getConnections).sum(),
        log.getRequests(),
        log.getServerErrors(),
        logRead ? log.getMaxInFlight() : null,
        log.getTruncatedPrompts(),
        log.getTruncatedMessages(),
        log.getContextLimit() == 0 ? null : log.getContextLimit(),
        log.getLargestPromptTokens() == 0 ? null : log.getLargestPromptTokens(),
        callers,
        paths));
  }

  private static Records.PathCount path(PathRequests p) {
    return new Records.PathCount(p.getMethod(), p.getPath(), p.getRequests(), p.getServerErrors());
  }

  /** ide, cli, automation, remote, other: the proto's names without their prefix. */
  public static String kind(ClientKind k) {
    return switch (k) {
      case CLIENT_IDE, CLIENT_CLI, CLIENT_AUTOMATION, CLIENT_REMOTE ->
        k.name().substring("CLIENT_".length()).toLowerCase(Locale.ROOT);
      default -> "other";
    };
  }
}
