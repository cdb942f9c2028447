package io.macfleet.controller.cli;

import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.RevokeHostRequest;
import io.macfleet.shared.ProtoJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = "Revoke a host: its node key is refused from now on (reports and stream).")
final class HostsRevokeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Host name.")
  String name;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() {
    HostSummary h;
    try (AdminClient client = new AdminClient(connection)) {
      h = client.call(
          s -> s.revokeHost(RevokeHostRequest.newBuilder().setName(name).build()));
    }
    spec.commandLine()
        .getOut()
        .println(
            output.json
                ? ProtoJson.json(h)
                : "revoked " + h.getName() + " (" + h.getHostId()
                    + "); its agent can no longer report");
    return ExitCodes.OK;
  }
}
