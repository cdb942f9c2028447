package io.macfleet.controller.interchange;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a whole NDJSON stream, handing each record on in file order. Blank lines are skipped, unknown kinds
 * become warnings naming their line, and the first malformed line stops the read with its number: a caller
 * that applies records only after read returns never half-applies a file.
 */
public final class InterchangeReader {
  public interface Sink {
    void accept(Records.Record r) throws InterchangeException;
  }

  public record Result(long lines, long records, List<String> warnings) {}

  private static final int MAX_WARNINGS = 100;

  /** Lines already in memory (an import sent over gRPC), every one parsed before any is applied. */
  public static Result readAll(List<String> lines, Sink sink) throws InterchangeException {
    try {
      return read(new BufferedReader(new java.io.StringReader(String.join("\n", lines))), sink);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringReader does not fail
    }
  }

  private InterchangeReader() {}

  public static Result read(BufferedReader in, Sink sink) throws IOException, InterchangeException {
    long lineNo = 0;
    long records = 0;
    long unknown = 0;
    List<String> warnings = new ArrayList<>();
    // a sample line repeated (the same request of the same run, twice) counts once; runs' samples
    // come together,
    // so the current run's are enough to remember
    String sampleRun = null;
    java.util.Map<Records.Sample, Long> seen = new java.util.HashMap<>();
    long repeated = 0;
    String line;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      Optional<Records.Record> r = RecordParser.parse(lineNo, line);
      if (r.isEmpty()) {
        unknown++;
        if (warnings.size() < MAX_WARNINGS) {
          warnings.add("line " + lineNo + ": unknown kind, skipped");
        }
        continue;
      }
      if (r.get() instanceof Records.Sample s) {
        if (!s.run().equals(sampleRun)) {
          sampleRun = s.run();
          seen.clear();
        }
        Long first = seen.putIfAbsent(s, lineNo);
        if (first != null) {
          repeated++;
          if (warnings.size() < MAX_WARNINGS) {
            warnings.add("line " + lineNo + ": repeats the sample of line " + first + " (run "
                + s.run() + "); counted once");
          }
          continue;
        }
      }
      sink.accept(r.get());
      records++;
    }
    if (repeated > 0 && warnings.size() >= MAX_WARNINGS) {
      warnings.add(repeated + " repeated sample lines in all, each counted once");
    }
    if (unknown > MAX_WARNINGS) {
      warnings.add("… and " + (unknown - MAX_WARNINGS) + " more lines of unknown kinds");
    }
    return new Result(lineNo, records, warnings);
  }
}
