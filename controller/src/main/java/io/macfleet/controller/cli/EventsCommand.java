package io.macfleet.controller.cli;

import io.macfleet.proto.v1.Event;
import io.macfleet.proto.v1.ListEventsRequest;
import io.macfleet.proto.v1.ListEventsResponse;
import io.macfleet.shared.ProtoJson;
import io.macfleet.shared.ProtoTime;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description =
        "Timestamped changes: thermal level, power source, docked/mobile, memory pressure, sleep, wake, "
            + "Ollama version and state.")
final class EventsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", arity = "0..1", paramLabel = "HOST", description = "Only this host.")
  String host;

  @Mixin
  SinceOption since;

  @Mixin
  LimitOption limits;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    Instant from = since.from("24h");
    ListEventsRequest req = ListEventsRequest.newBuilder()
        .setHost(host == null ? "" : host)
        .setLimit(limits.value(1000))
        .setSince(ProtoTime.of(from))
        .build();
    ListEventsResponse resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listEvents(req));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.array(resp.getEventsList()));
      return ExitCodes.OK;
    }
    if (resp.getEventsCount() == 0) {
      out.println("no events since " + from);
      return ExitCodes.OK;
    }
    Table t = new Table("TIME", "HOST", "EVENT", "CHANGE", "DETAIL").detail("DETAIL");
    for (Event e : resp.getEventsList()) {
      String change =
          e.getFrom().isEmpty() && e.getTo().isEmpty() ? "-" : e.getFrom() + " → " + e.getTo();
      t.add(
          Formats.local(e.getAt()),
          e.getHost(),
          e.getKind(),
          change,
          Formats.orDash(e.getDetail()));
    }
    t.print(out, output.wide);
    return ExitCodes.OK;
  }
}
