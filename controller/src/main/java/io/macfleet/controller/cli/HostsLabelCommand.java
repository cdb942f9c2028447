package io.macfleet.controller.cli;

import io.macfleet.proto.v1.HostSummary;
import io.macfleet.proto.v1.SetLabelsRequest;
import io.macfleet.shared.ProtoJson;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "label",
    mixinStandardHelpOptions = true,
    description = "Set (key=value) or remove (key-) labels on a host, e.g. role=control.")
final class HostsLabelCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "NAME", description = "Host name.")
  String name;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "LABEL",
      description = "key=value to set, key- to remove.")
  List<String> labels;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() {
    SetLabelsRequest.Builder req = SetLabelsRequest.newBuilder().setName(name);
    for (String l : labels) {
      int eq = l.indexOf('=');
      if (eq > 0) {
        req.putSet(l.substring(0, eq), l.substring(eq + 1));
      } else if (l.endsWith("-") && l.length() > 1) {
        req.addRemove(l.substring(0, l.length() - 1));
      } else {
        throw new CliException(
            ExitCodes.USAGE, "label '" + l + "' must be key=value (set) or key- (remove)");
      }
    }
    HostSummary h;
    try (AdminClient client = new AdminClient(connection)) {
      h = client.call(s -> s.setLabels(req.build()));
    }
    var out = spec.commandLine().getOut();
    out.println(
        output.json ? ProtoJson.json(h) : h.getName() + ": " + Formats.labels(h.getLabelsMap()));
    return ExitCodes.OK;
  }
}
