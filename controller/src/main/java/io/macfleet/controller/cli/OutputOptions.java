package io.macfleet.controller.cli;

import picocli.CommandLine.Option;

/** The one `--json` and `--wide` of every command that prints a table. */
final class OutputOptions extends JsonOption {
  @Option(
      names = "--wide",
      description =
          "Every column, however wide (tables fit " + Table.WIDTH + " columns by default).")
  boolean wide;
}
