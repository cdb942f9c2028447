package io.macfleet.controller.cli;

import java.util.List;
import picocli.CommandLine.Option;

/** The one `--limit N` of every listing: at most N rows, the newest first; 1 to 100,000. */
final class LimitOption {
  static final int MAX = 100_000;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most N rows, the newest first (1 to 100000; default: 1000, runs: 50).")
  Integer limit;

  /** The limit given, else the command's default; a number out of range is a usage error. */
  int value(int dflt) {
    int n = limit == null ? dflt : limit;
    if (n < 1 || n > MAX) {
      throw new CliException(ExitCodes.USAGE, "--limit must be 1 to " + MAX + ", got " + n);
    }
    return n;
  }

  /** The first N of a listing the server does not cut itself. */
  <T> List<T> first(List<T> all, int dflt) {
    int n = value(dflt);
    return all.size() <= n ? all : all.subList(0, n);
  }
}
