package io.macfleet.controller.cli;

import picocli.CommandLine.Option;

/** The one `--json` of every command (those that print a table also take `--wide`: {@link OutputOptions}). */
class JsonOption {
  @Option(
      names = "--json",
      description = "Print JSON instead of text: one array for a listing, one object otherwise "
          + "(README, \"JSON output\", gives each shape).")
  boolean json;
}
