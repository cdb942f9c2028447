package io.macfleet.controller.cli;

import io.macfleet.proto.v1.Client;
import io.macfleet.proto.v1.HostClients;
import io.macfleet.proto.v1.ListClientsRequest;
import io.macfleet.proto.v1.ListClientsResponse;
import io.macfleet.proto.v1.PathRequests;
import io.macfleet.shared.ProtoJson;
import io.macfleet.shared.ProtoTime;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "clients",
    mixinStandardHelpOptions = true,
    description =
        "Who calls each host's Ollama (the runbook's Gate C): the processes holding connections "
            + "(ide, cli, automation, remote), and from its server.log the requests, the most at once, 5xx and "
            + "truncated prompts.",
    footer = {
      "",
      "Selectors: host names, key=value labels (role=control), gen=M4, all (comma-separated).",
      "AT ONCE is the most requests certainly in flight together; '-' means no server.log was read "
          + "(run the agent with --ollama-log).",
      "Example: macfleet clients gen=M4 --since 7d"
    })
final class ClientsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SELECTOR",
      description = "Only these hosts (default: all).")
  String selector;

  @Mixin
  SinceOption since;

  @Mixin
  OutputOptions output;

  @Mixin
  LimitOption limits;

  @Override
  public Integer call() {
    Instant from = since.from("24h");
    ListClientsRequest req = ListClientsRequest.newBuilder()
        .setSelector(selector == null ? "" : selector)
        .setSince(ProtoTime.of(from))
        .build();
    ListClientsResponse resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listClients(req));
    }
    resp = resp.toBuilder()
        .clearHosts()
        .addAllHosts(limits.first(resp.getHostsList(), 1000))
        .build();
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.array(resp.getHostsList()));
      return ExitCodes.OK;
    }
    Instant now =
        Instant.ofEpochSecond(resp.getNow().getSeconds(), resp.getNow().getNanos());
    Table t = new Table("HOST", "CALLERS", "AT ONCE", "REQUESTS", "5XX", "TRUNCATED", "LAST SEEN");
    List<String> details = new ArrayList<>();
    for (HostClients h : resp.getHostsList()) {
      t.add(
          h.getHost(),
          Integer.toString(h.getClientsCount()),
          h.hasMaxInFlight() ? Integer.toString(h.getMaxInFlight()) : "-",
          Integer.toString(h.getRequests()),
          Integer.toString(h.getServerErrors()),
          truncated(h),
          h.hasLastObserved() ? Formats.ago(h.getLastObserved(), now) : "nothing seen");
      if (h.getClientsCount() > 0) {
        details.add(h.getHost() + " callers: " + String.join(", ", callers(h)));
      }
      if (h.getPathsCount() > 0) {
        details.add(h.getHost() + " paths: " + String.join(", ", paths(h)));
      }
    }
    t.print(out, output.wide);
    details.forEach(d -> out.println(Table.escape(d)));
    return ExitCodes.OK;
  }

  private static String truncated(HostClients h) {
    int n = h.getTruncatedPrompts() + h.getTruncatedMessages();
    if (n == 0) {
      return "0";
    }
    return h.hasLargestPromptTokens() && h.hasContextLimit()
        ? n + " (" + h.getLargestPromptTokens() + " > " + h.getContextLimit() + " tokens)"
        : Integer.toString(n);
  }

  private static List<String> callers(HostClients h) {
    List<String> out = new ArrayList<>();
    for (Client c : h.getClientsList()) {
      out.add(c.getName() + " (" + Formats.word(c.getKind())
          + (c.getPid() == 0 ? "" : ", pid " + c.getPid()) + ", " + c.getConnections() + " conn"
          + (c.getConnections() == 1 ? "" : "s") + ")");
    }
    return out;
  }

  private static List<String> paths(HostClients h) {
    List<String> out = new ArrayList<>();
    for (PathRequests p : h.getPathsList()) {
      out.add(p.getMethod() + " " + p.getPath() + " " + p.getRequests()
          + (p.getServerErrors() == 0 ? "" : " (" + p.getServerErrors() + " 5xx)"));
    }
    return out;
  }
}
