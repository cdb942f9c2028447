package io.macfleet.controller.cli;

import picocli.CommandLine.Option;

/** The one `--host NAME` of the listings that can be narrowed to one host. */
final class HostOption {
  @Option(names = "--host", paramLabel = "NAME", description = "Only this host.")
  String host;

  /** The name, or "" for every host (as the requests spell "all"). */
  String orAll() {
    return host == null ? "" : host;
  }
}
