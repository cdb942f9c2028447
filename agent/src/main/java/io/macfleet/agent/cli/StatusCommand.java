package io.macfleet.agent.cli;

import io.macfleet.agent.link.AgentState;
import io.macfleet.agent.link.ReportSpool;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show enrollment and spool state (reads the state directory only).")
final class StatusCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Agent state directory (default: $MACFLEET_AGENT_HOME or ~/.macfleet-agent).")
  Path stateDir;

  @Override
  public Integer call() throws Exception {
    AgentState state = new AgentState(stateDir == null ? AgentState.defaultDir() : stateDir);
    var out = spec.commandLine().getOut();
    if (!state.enrolled()) {
      out.println("not enrolled (state directory " + state.dir() + ")");
      return 1;
    }
    AgentState.Enrollment e = state.enrollment();
    ReportSpool spool = new ReportSpool(state.spoolDir(), Integer.MAX_VALUE);
    out.printf(
        "host %s (%s)%ncontroller %s%s%nenrolled %s%nspooled reports %d, dropped %d%n",
        e.hostname,
        e.hostId,
        e.controller,
        e.insecure ? " (plaintext)" : " (TLS)",
        e.enrolledAt,
        spool.size(),
        spool.dropped());
    return 0;
  }
}
