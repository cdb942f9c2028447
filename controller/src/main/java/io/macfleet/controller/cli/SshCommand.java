package io.macfleet.controller.cli;

import io.macfleet.proto.v1.SshCheckRequest;
import io.macfleet.proto.v1.SshCheckResponse;
import io.macfleet.proto.v1.SshKeyRequest;
import io.macfleet.proto.v1.SshTrustRequest;
import io.macfleet.proto.v1.SshTrustResponse;
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
    name = "ssh",
    mixinStandardHelpOptions = true,
    description = "The controller's SSH access to the Macs: "
        + "its public key, trusting a Mac's host key, and the agentless check. Per host, labels ssh.host, ssh.port "
        + "and ssh.user override the host's name, port 22 and user macfleet.",
    subcommands = {SshCommand.Key.class, SshCommand.Trust.class, SshCommand.Check.class})
final class SshCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  @Command(
      name = "key",
      mixinStandardHelpOptions = true,
      description =
          "Print the controller's public key, for " + "the Macs' ~macfleet/.ssh/authorized_keys.")
  static final class Key implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() {
      try (AdminClient client = new AdminClient(connection)) {
        spec.commandLine()
            .getOut()
            .println(
                client.call(s -> s.sshKey(SshKeyRequest.getDefaultInstance())).getPublicKey());
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "trust",
      mixinStandardHelpOptions = true,
      description =
          "Record a Mac's SSH host key in the "
              + "controller's known_hosts. Compare the printed fingerprint with the Mac's own (ssh-keygen -lf "
              + "/etc/ssh/ssh_host_ecdsa_key.pub). A different key than the recorded one is refused unless --replace.")
  static final class Trust implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Option(names = "--replace", description = "Accept a key that differs from the recorded one.")
    boolean replace;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
      SshTrustResponse r;
      try (AdminClient client = new AdminClient(connection)) {
        r = client.call(
            s -> s.sshTrust(
                SshTrustRequest.newBuilder().setHost(host).setReplace(replace).build()),
            30);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json) {
        out.println(ProtoJson.json(r));
      } else if (!r.getChanged()) {
        out.println(r.getKnownHostsName() + " is already trusted: " + r.getFingerprint());
      } else {
        out.println("trusted " + r.getKnownHostsName() + ": " + r.getFingerprint()
            + (r.getPreviousFingerprint().isEmpty()
                ? ""
                : " (replaced " + r.getPreviousFingerprint() + ")"));
      }
      return ExitCodes.OK;
    }
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "When an agent is silent: log in to the "
          + "Mac and tell asleep from agent down from Ollama down from unreachable. The answer shows in `macfleet "
          + "hosts`.")
  static final class Check implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Parameters(index = "0", paramLabel = "HOST")
    String host;

    @Mixin
    JsonOption output;

    @Override
    public Integer call() {
      SshCheckResponse r;
      try (AdminClient client = new AdminClient(connection)) {
        r = client.call(
            s -> s.sshCheck(SshCheckRequest.newBuilder().setHost(host).build()), 60);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (output.json) {
        out.println(ProtoJson.json(r));
        return ExitCodes.OK;
      }
      out.println(Table.escape(host) + ": " + r.getState().replace('_', ' ') + " — "
          + Table.escape(r.getSummary()));
      r.getEvidenceList()
          .forEach(e -> out.println("  " + Table.escape(e))); // the Mac's own command output
      return r.getState().equals("unreachable") ? ExitCodes.UNREACHABLE : ExitCodes.OK;
    }
  }
}
