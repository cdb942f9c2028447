package io.macfleet.agent.collect.clients;

import io.macfleet.agent.collect.Collector;
import io.macfleet.agent.collect.CommandResult;
import io.macfleet.agent.collect.CommandRunner;
import io.macfleet.agent.collect.HostCommands;
import io.macfleet.agent.collect.parse.LsofFieldsParser;
import io.macfleet.agent.collect.parse.LsofSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * macOS: `lsof -nP -iTCP:PORT -sTCP:ESTABLISHED -F` by absolute path, argv only (the port is a number), under the
 * runner's timeout and output cap. lsof exits 1 with nothing printed when no socket matches: that is "no callers".
 * Without root it sees only the agent user's processes, so a LaunchDaemon (root) sees every caller.
 */
public final class LsofConnections implements ConnectionSource {
  static final String LSOF = "/usr/sbin/lsof";

  private final CommandRunner runner;
  private final HostCommands replay;

  /** runner: live; replay: saved outputs (kind lsof-clients), or null. */
  public LsofConnections(CommandRunner runner, HostCommands replay) {
    this.runner = runner;
    this.replay = replay;
  }

  @Override
  public List<SocketOwner> sockets(int port) throws Exception {
    String out;
    if (replay != null) {
      out = replay
          .output("lsof-clients")
          .orElseThrow(() -> new Collector.NotApplicable("no lsof-clients.txt"));
    } else {
      if (!CommandRunner.available(LSOF)) {
        throw new Collector.NotApplicable(LSOF + " is not installed");
      }
      CommandResult r = runner.run(LSOF, "-nP", "-iTCP:" + port, "-sTCP:ESTABLISHED", "-F");
      boolean none = !r.timedOut() && r.exitCode() == 1 && r.stdout().isBlank();
      if (!r.ok() && !none) {
        throw new HostCommands.CommandFailed(LSOF + ": " + r.failureSummary());
      }
      out = r.stdout();
    }
    List<SocketOwner> owners = new ArrayList<>();
    for (LsofSocket s : LsofFieldsParser.parse(out)) {
      if (s.state().isEmpty() || s.state().equals("ESTABLISHED")) {
        owners.add(new SocketOwner(s.pid(), s.command(), s.local(), s.remote()));
      }
    }
    return owners;
  }
}
