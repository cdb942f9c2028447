package io.macfleet.controller.cli;

import java.util.regex.Pattern;

/** Sizes in options: bytes, or a whole number with KiB, MiB or GiB ("256KiB"); KB/MB/GB are read the same. */
final class SizeArg {
  private static final Pattern FORM =
      Pattern.compile("(\\d{1,12})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

  private SizeArg() {}

  static long parse(String option, String value) {
    var m = FORM.matcher(value.strip().toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw new CliException(
          ExitCodes.USAGE,
          option + " takes a size like 262144, 256KiB or 2MiB, not '" + value + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).isEmpty() ? ' ' : m.group(2).charAt(0)) {
      case 'k' -> n * 1024;
      case 'm' -> n * 1024 * 1024;
      case 'g' -> n * 1024 * 1024 * 1024;
      default -> n;
    };
  }
}
