package io.macfleet.controller.cli;

import io.macfleet.controller.interchange.Dataset;
import io.macfleet.controller.interchange.InterchangeException;
import io.macfleet.controller.interchange.InterchangeReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading an interchange file (or - for standard input) for the commands, with errors a user can act on. */
final class InterchangeFiles {
  private InterchangeFiles() {}

  static BufferedReader open(String file) {
    if ("-".equals(file)) {
      return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    try {
      return Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliException(ExitCodes.USAGE, file + ": no such file");
    } catch (IOException e) {
      throw new CliException(ExitCodes.USAGE, file + ": " + e.getMessage());
    }
  }

  /** The whole file as a dataset; warnings go to err. A malformed line fails the read, naming it. */
  static Dataset dataset(String file, PrintWriter err) {
    Dataset d = new Dataset();
    try (BufferedReader in = open(file)) {
      InterchangeReader.Result r = InterchangeReader.read(in, d::add);
      r.warnings().forEach(w -> err.println("warning: " + file + " " + w));
    } catch (InterchangeException e) {
      throw new CliException(
          ExitCodes.USAGE,
          file + " " + e.getMessage() + " (nothing was judged; fix the line " + "and run again)");
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "reading " + file + ": " + e.getMessage());
    }
    d.index().warnings().forEach(w -> err.println("warning: " + file + ": " + w));
    return d;
  }
}
