package io.macfleet.controller.cli;

import io.macfleet.proto.v1.RollbackRequest;
import io.macfleet.proto.v1.RollbackResponse;
import io.macfleet.proto.v1.RollbackStep;
import io.macfleet.shared.ProtoJson;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = "The runbook's five-step rollback over "
        + "SSH: (1) pin the triple, (2) take the model off the MLX path (--gguf-tag, --pin) and restart Ollama the way "
        + "it is installed, (3) cache surgery (ollama rm and pull, digest before and after), (4) probe 1-way then 4-way "
        + "and judge against the baseline, (5) record the policy and the outcome. The first failing step stops the "
        + "ladder; everything is audited. Exit 0 completed, 1 stopped.")
final class RollbackCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "HOST")
  String host;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "M",
      description = "The model tag to roll back.")
  String model;

  @Option(
      names = "--gguf-tag",
      paramLabel = "TAG",
      description =
          "Step 2: pull this GGUF variant of the model " + "(served by llama.cpp, not MLX).")
  String ggufTag;

  @Option(
      names = "--pin",
      description = "Step 2: stop Homebrew upgrading Ollama (brew pin ollama).")
  boolean pin;

  @Option(
      names = "--policy",
      paramLabel = "lab|production",
      defaultValue = "lab",
      description = "Recorded with " + "the outcome (default: ${DEFAULT-VALUE}).")
  String policy;

  @Option(
      names = "--samples",
      paramLabel = "N",
      defaultValue = "24",
      description = "Step 4: samples per level " + "(default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--dry-run", description = "Print every command the ladder would send; run none.")
  boolean dryRun;

  @Mixin
  JsonOption output;

  @Override
  public Integer call() {
    RollbackRequest req = RollbackRequest.newBuilder()
        .setHost(host)
        .setModel(model)
        .setGgufTag(ggufTag == null ? "" : ggufTag)
        .setPinOllama(pin)
        .setPolicy(policy)
        .setDryRun(dryRun)
        .setProbeSamples(samples)
        .setProbeTimeoutS(600)
        .build();
    RollbackResponse r;
    try (AdminClient client = new AdminClient(connection)) {
      r = client.call(s -> s.rollback(req), 3600);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output.json) {
      out.println(ProtoJson.json(r));
    } else {
      out.println((r.getDryRun() ? "rollback plan " : "rollback ") + r.getId() + " of "
          + Table.escape(r.getModel()) + " on " + Table.escape(r.getHost()) + " (policy "
          + r.getPolicy() + "): " + r.getOutcome());
      for (RollbackStep s : r.getStepsList()) {
        // a step's detail and commands hold what the Mac answered over SSH: escaped, never raw
        out.printf(
            "%d. %-13s %-11s %s%n",
            s.getNumber(), s.getName(), s.getStatus(), Table.escape(s.getDetail()));
        s.getCommandsList().forEach(c -> out.println("     $ " + Table.escape(c)));
      }
    }
    return r.getOutcome().equals("stopped") ? ExitCodes.ERROR : ExitCodes.OK;
  }
}
