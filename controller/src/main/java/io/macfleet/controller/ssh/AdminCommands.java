package io.macfleet.controller.ssh;

import java.io.PrintWriter;

/**
 * What the admin SSH endpoint runs a verified user's command line with: the CLI, handed in by whoever starts the
 * controller (`serve`), so this package needs nothing of the CLI's. {@code token} is the endpoint's in-memory
 * credential and {@code actor} the verified key's name; the arguments never expand {@code @FILE}.
 */
@FunctionalInterface
public interface AdminCommands {
  int run(PrintWriter out, PrintWriter err, String token, String actor, String... args);
}
