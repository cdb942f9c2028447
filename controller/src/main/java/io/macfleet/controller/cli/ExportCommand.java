package io.macfleet.controller.cli;

import io.macfleet.proto.v1.ExportRequest;
import io.macfleet.shared.ProtoTime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write what the controller holds as "
        + "NDJSON interchange records (hosts, telemetry, events, completed runs and their samples): to share, archive "
        + "or judge offline with `macfleet analyze`.")
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Mixin
  SinceOption since;

  @Option(names = "--model", paramLabel = "M", description = "Only runs of this model.")
  String model;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write here (atomically) instead of " + "standard output.")
  Path output;

  @Override
  public Integer call() throws IOException {
    Instant from = since.from("30d");
    ExportRequest req = ExportRequest.newBuilder()
        .setModel(model == null ? "" : model)
        .setSince(ProtoTime.of(from))
        .build();
    try (AdminClient client = new AdminClient(connection)) {
      if (output == null) {
        PrintWriter out = spec.commandLine().getOut();
        client.export(req, out::println);
        return ExitCodes.OK;
      }
      long[] n = new long[1];
      SharedFile.write(
          output,
          w -> n[0] = client.export(req, line -> {
            try {
              w.write(line);
              w.write('\n');
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }));
      spec.commandLine().getErr().println("wrote " + n[0] + " records to " + output);
    }
    return ExitCodes.OK;
  }
}
