package io.macfleet.agent.cli;

import io.macfleet.agent.AgentVersion;
import io.macfleet.agent.collect.CommandRunner;
import io.macfleet.agent.collect.IdentityCollector;
import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.Enroller;
import io.macfleet.agent.link.EnrollmentBundle;
import io.macfleet.proto.v1.HostIdentity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description = "Exchange the controller's enrollment secret for this host's node key.")
final class EnrollCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--controller",
      paramLabel = "HOST:PORT[,HOST:PORT...]",
      required = true,
      description =
          "Controller "
              + "address; several, comma-separated, for failover between controllers that share a database.")
  String controller;

  @Option(
      names = "--secret-file",
      paramLabel = "FILE",
      required = true,
      description =
          "The controller's agent-bundle.json (secret and CA), or a file holding only the secret.")
  Path secretFile;

  @Option(
      names = "--ca-file",
      paramLabel = "FILE",
      description = "Controller CA (PEM) when the secret file holds only the secret.")
  Path caFile;

  @Option(
      names = "--insecure",
      description = "Plaintext gRPC (the controller allows it on loopback only).")
  boolean insecure;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Agent state directory (default: $MACFLEET_AGENT_HOME or ~/.macfleet-agent).")
  Path stateDir;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Enroll under this host name instead of the system's.")
  String name;

  @Override
  public Integer call() throws Exception {
    AgentState state = new AgentState(stateDir == null ? AgentState.defaultDir() : stateDir);
    EnrollmentBundle bundle = EnrollmentBundle.read(secretFile, caFile);
    HostIdentity id = IdentityCollector.forThisHost(new CommandRunner()).collect();
    String hostname = name == null || name.isBlank() ? id.getHostname() : name;
    AgentState.Enrollment e = Enroller.enroll(
        state, controller, bundle, insecure, hostname, id.getHardwareUuid(), AgentVersion.get());
    spec.commandLine()
        .getOut()
        .printf(
            "enrolled %s as host %s with %s%s; state in %s%n",
            hostname,
            e.hostId,
            controller,
            insecure ? " (plaintext)" : " (TLS, CA pinned)",
            state.dir());
    return 0;
  }
}
