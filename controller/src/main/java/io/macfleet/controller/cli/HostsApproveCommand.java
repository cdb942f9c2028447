package io.macfleet.controller.cli;

import io.macfleet.proto.v1.ApproveRekeyRequest;
import io.macfleet.proto.v1.HostSummary;
import io.macfleet.shared.ProtoJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description =
        "Let the next enrollment under a host's "
            + "name re-key it whatever hardware UUID it carries (a replaced or reinstalled Mac), once, within --valid.")
final class HostsApproveCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Host name.")
  String name;

  @Option(
      names = "--valid",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description = "How long the approval " + "lasts, 1m to 24h (default: ${DEFAULT-VALUE}).")
  String valid;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() {
    java.time.Duration d = DurationArg.parse("--valid", valid, null);
    if (d.toMinutes() < 1 || d.toMinutes() > 24 * 60) {
      throw new CliException(ExitCodes.USAGE, "--valid must be 1m to 24h, got " + valid);
    }
    HostSummary h;
    try (AdminClient client = new AdminClient(connection)) {
      h = client.call(s -> s.approveRekey(ApproveRekeyRequest.newBuilder()
          .setName(name)
          .setValidMinutes((int) d.toMinutes())
          .build()));
    }
    spec.commandLine()
        .getOut()
        .println(
            output.json
                ? ProtoJson.json(h)
                : "approved: the next enrollment as "
                    + Table.escape(h.getName()) + " within " + d.toMinutes()
                    + " min re-keys it (its current key then stops "
                    + "working); run `macfleet-agent enroll --name " + Table.escape(h.getName())
                    + "` on the Mac");
    return ExitCodes.OK;
  }
}
