package io.macfleet.controller.cli;

import picocli.CommandLine.Option;

/** The one `--json` and `--wide` of every command that prints a table. */
final class OutputOptions {
  @Option(
      names = "--json",
      description =
          "Print JSON instead of the table: one array for a listing, one object otherwise "
              + "(README, \"JSON output\", gives each shape).")
  boolean json;

  @Option(
      names = "--wide",
      description =
          "Every column, however wide (tables fit " + Table.WIDTH + " columns by default).")
  boolean wide;
}
