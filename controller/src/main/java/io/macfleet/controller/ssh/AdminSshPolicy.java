package io.macfleet.controller.ssh;

import java.util.List;
import java.util.Set;

/**
 * What the admin SSH endpoint runs: the read and fleet commands of the `macfleet` CLI, never one that reads or
 * writes the controller's files or picks its own connection (the endpoint supplies those).
 */
public final class AdminSshPolicy {
  static final Set<String> COMMANDS = Set.of(
      "hosts",
      "host",
      "drift",
      "events",
      "clients",
      "replay",
      "runs",
      "run",
      "report",
      "verdicts",
      "gate",
      "baseline",
      "schedule",
      "audit",
      "ssh",
      "rollback",
      "help");
  private static final Set<String> FORBIDDEN_OPTIONS = Set.of(
      "--data-dir",
      "--token-file",
      "--ca-file",
      "--controller",
      "--insecure",
      "--actor",
      "--html",
      "--input",
      "-o",
      "--output");

  private AdminSshPolicy() {}

  /** Null when the words may run; otherwise why not, for the user. */
  public static String refusal(List<String> words) {
    if (words.isEmpty()) {
      return "no command; try: ssh -p PORT USER@CONTROLLER help";
    }
    String first = words.get(0);
    if (!COMMANDS.contains(first)) {
      return "'" + printable(first) + "' is not available over SSH; available: "
          + String.join(", ", new java.util.TreeSet<>(COMMANDS));
    }
    for (String w : words) {
      if (w.startsWith("@")) {
        // picocli reads "@FILE" as arguments from that file: over SSH that would print any file the
        // controller
        // can read (its CA key, its secrets); the endpoint also runs commands with the expansion
        // off
        return "arguments starting with @ are not available over SSH (they would be read as a file on the "
            + "controller)";
      }
      String opt = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
      if (FORBIDDEN_OPTIONS.contains(opt)) {
        return opt
            + " is not available over SSH (the endpoint runs against its own controller and files)";
      }
    }
    return null;
  }

  static String printable(String s) {
    String p = s.replaceAll("[^\\x20-\\x7e]", "?");
    return p.length() > 40 ? p.substring(0, 40) + "…" : p;
  }
}
