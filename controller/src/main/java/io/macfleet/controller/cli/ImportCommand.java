package io.macfleet.controller.cli;

import io.macfleet.controller.interchange.InterchangeException;
import io.macfleet.controller.interchange.InterchangeReader;
import io.macfleet.proto.v1.ImportResponse;
import io.macfleet.shared.ProtoJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description =
        "Load an NDJSON interchange file into "
            + "the controller, all of it or nothing: every line is checked first (a malformed one is reported by number), "
            + "then the controller applies the file in one transaction. Runs already present are skipped.")
final class ImportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file, or - for standard input.")
  String file;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() {
    List<String> lines = new ArrayList<>();
    InterchangeReader.Result checked;
    try (BufferedReader in = InterchangeFiles.open(file)) {
      String l;
      while ((l = in.readLine()) != null) {
        lines.add(l);
      }
      checked = InterchangeReader.readAll(lines, r -> {});
    } catch (InterchangeException e) {
      throw new CliException(
          ExitCodes.USAGE, file + " " + e.getMessage() + "; nothing was imported");
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "reading " + file + ": " + e.getMessage());
    }
    ImportResponse r;
    try (AdminClient client = new AdminClient(connection)) {
      r = client.importLines(lines);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.json(r));
      return ExitCodes.OK;
    }
    checked
        .warnings()
        .forEach(w -> spec.commandLine().getErr().println("warning: " + file + " " + w));
    out.printf(
        "imported %s: %d lines; hosts %d new, %d known; %d runs (%d already present, skipped); %d samples; "
            + "%d telemetry, %d events, %d states, %d client observations%n",
        file,
        r.getLines(),
        r.getHostsCreated(),
        r.getHostsUpdated(),
        r.getRuns(),
        r.getRunsSkipped(),
        r.getSamples(),
        r.getTelemetry(),
        r.getEvents(),
        r.getStates(),
        r.getClients());
    r.getChangesList().forEach(c -> out.println("  " + Table.escape(c)));
    return ExitCodes.OK;
  }
}
