package io.macfleet.controller.cli;

import io.macfleet.proto.v1.BaselineRequest;
import io.macfleet.proto.v1.BaselineResponse;
import io.macfleet.proto.v1.BaselineRun;
import io.macfleet.shared.ProtoJson;
import io.macfleet.shared.ProtoTime;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    description =
        "Known-good runs per host and model, "
            + "under a pinned triple: what verdicts compare new runs with (without one, a host's earlier runs).",
    subcommands = {
      BaselineCommand.Pin.class,
      BaselineCommand.Show.class,
      BaselineCommand.Clear.class
    })
final class BaselineCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  static void print(BaselineResponse r, PrintWriter out, boolean wide) {
    if (r.getRunsCount() == 0) {
      out.println("no pinned baseline runs");
      return;
    }
    Table t = new Table(
            "HOST",
            "MODEL",
            "PROMPTS",
            "RUN",
            "STARTED",
            "OLLAMA",
            "DIGEST",
            "OS BUILD",
            "BACKEND",
            "SAMPLES")
        .wideOnly("PROMPTS", "BACKEND", "SAMPLES");
    for (BaselineRun b : r.getRunsList()) {
      t.add(
          b.getHost(),
          b.getModel(),
          Formats.orDash(b.getPromptSet()),
          b.getRunId(),
          Formats.local(b.getStartedAt()),
          Formats.orDash(b.getOllamaVersion()),
          b.getDigest().isEmpty() ? "-" : b.getDigest().substring(0, 12),
          Formats.orDash(b.getOsBuild()),
          Formats.orDash(b.getBackend()),
          String.valueOf(b.getSteadySamples()));
    }
    t.print(out, wide);
  }

  @Command(
      name = "pin",
      mixinStandardHelpOptions = true,
      description = "Pin a host's baseline for a model: the "
          + "given runs, or its completed runs since --since that share its newest run's triple.")
  static final class Pin implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(names = "--model", required = true, paramLabel = "M")
    String model;

    @Option(
        names = "--run",
        paramLabel = "ID",
        split = ",",
        description = "These runs (repeat or comma-separate).")
    List<String> runs = List.of();

    @Mixin
    SinceOption since;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
      Instant from = since.from("7d");
      BaselineRequest req = BaselineRequest.newBuilder()
          .setHost(host)
          .setModel(model)
          .addAllRunIds(runs)
          .setSince(ProtoTime.of(from))
          .build();
      BaselineResponse r;
      try (AdminClient client = new AdminClient(connection)) {
        r = client.call(s -> s.pinBaseline(req));
      }
      if (output.json) {
        spec.commandLine().getOut().println(ProtoJson.json(r));
      } else {
        spec.commandLine()
            .getOut()
            .println("pinned " + r.getRunsCount() + " run(s) as the baseline of " + host + " for "
                + model + ":");
        print(r, spec.commandLine().getOut(), output.wide);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Pinned baseline runs.")
  static final class Show implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HOST")
    String host;

    @Option(names = "--model", paramLabel = "M")
    String model;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
      BaselineRequest req = BaselineRequest.newBuilder()
          .setHost(host == null ? "" : host)
          .setModel(model == null ? "" : model)
          .build();
      BaselineResponse r;
      try (AdminClient client = new AdminClient(connection)) {
        r = client.call(s -> s.showBaseline(req));
      }
      if (output.json) {
        spec.commandLine().getOut().println(ProtoJson.json(r));
      } else {
        print(r, spec.commandLine().getOut(), output.wide);
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "clear",
      mixinStandardHelpOptions = true,
      description = "Unpin a host's baseline for a model "
          + "(verdicts then compare with its earlier runs again).")
  static final class Clear implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(names = "--model", required = true, paramLabel = "M")
    String model;

    @Override
    public Integer call() {
      BaselineRequest req =
          BaselineRequest.newBuilder().setHost(host).setModel(model).build();
      BaselineResponse r;
      try (AdminClient client = new AdminClient(connection)) {
        r = client.call(s -> s.clearBaseline(req));
      }
      spec.commandLine()
          .getOut()
          .println("unpinned " + r.getChanged() + " run(s) of " + host + " for " + model);
      return ExitCodes.OK;
    }
  }
}
