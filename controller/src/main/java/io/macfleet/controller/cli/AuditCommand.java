package io.macfleet.controller.cli;

import io.macfleet.proto.v1.AuditEntry;
import io.macfleet.proto.v1.ListAuditRequest;
import io.macfleet.proto.v1.ListAuditResponse;
import io.macfleet.shared.ProtoJson;
import io.macfleet.shared.ProtoTime;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "The append-only audit log: every remote "
        + "action and every schedule, baseline, host and import change, with who, when, what, the exit code and a "
        + "SHA-256 of the output.")
final class AuditCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  SinceOption since;

  @Mixin
  HostOption host;

  @Mixin
  LimitOption limits;

  @Mixin
  OutputOptions output;

  @Override
  public Integer call() {
    Instant from = since.from("7d");
    ListAuditRequest req = ListAuditRequest.newBuilder()
        .setHost(host.orAll())
        .setLimit(limits.value(1000))
        .setSince(ProtoTime.of(from))
        .build();
    ListAuditResponse resp;
    try (AdminClient client = new AdminClient(connection)) {
      resp = client.call(s -> s.listAudit(req));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.array(resp.getEntriesList()));
      return ExitCodes.OK;
    }
    if (resp.getEntriesCount() == 0) {
      out.println("nothing audited since " + from);
      return ExitCodes.OK;
    }
    Table t = new Table("TIME", "ACTOR", "ACTION", "HOST", "EXIT", "OUTPUT SHA-256", "DETAIL")
        .wideOnly("OUTPUT SHA-256")
        .detail("DETAIL");
    for (AuditEntry e : resp.getEntriesList()) {
      t.add(
          Formats.local(e.getAt()),
          e.getActor(),
          e.getAction(),
          Formats.orDash(e.getHost()),
          String.valueOf(e.getExitCode()),
          e.getOutputSha256().substring(0, 12),
          e.getDetail());
    }
    t.print(out, output.wide);
    return ExitCodes.OK;
  }
}
