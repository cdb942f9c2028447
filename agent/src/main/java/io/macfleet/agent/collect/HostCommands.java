package io.macfleet.agent.collect;

import java.util.Optional;

/**
 * The macOS command outputs collectors read, by parser kind ("pmset-batt", "sysctl", …). Live, each kind
 * is one command run by absolute path; replayed, each is a saved file KIND.txt. Empty means the command
 * does not exist here (not applicable); a failure to run it is an exception with the reason.
 */
public interface HostCommands {
  Optional<String> output(String kind) throws CommandFailed;

  /** A command that exists but did not give usable output. */
  final class CommandFailed extends Exception {
    public CommandFailed(String message) {
      super(message);
    }
  }
}
