package io.macfleet.controller.fleet;

import io.macfleet.controller.interchange.Records;
import java.util.List;

/**
 * An imported file obeys the rules enrollment, `hosts label` and the report validator obey: every host it names is
 * a valid host name, every label a valid key and value, every run's names without control characters and within
 * their columns. Checked before anything is stored, so a bad file changes nothing.
 */
public final class ImportRules {
  private ImportRules() {}

  public static void check(List<Records.Record> records) {
    for (Records.Record r : records) {
      String host = r instanceof Records.Host h
          ? h.host()
          : r instanceof Records.Run run
              ? run.host()
              : r instanceof Records.Telemetry t
                  ? t.host()
                  : r instanceof Records.Event e
                      ? e.host()
                      : r instanceof Records.State s ? s.host() : null;
      if (host != null) {
        Names.host(host);
      }
      if (r instanceof Records.Run run) {
        String at = "run " + Names.printable(run.run()) + ": ";
        ReportValidator.length(at + "run", run.run(), 128);
        ReportValidator.length(at + "model", run.model(), 255);
        // the columns' widths (V3, V7)
        for (String[] f : new String[][] {
          {"digest", run.digest(), "64"},
          {"ollama_version", run.ollamaVersion(), "64"},
          {"os_build", run.osBuild(), "32"},
          {"backend", run.backend(), "16"},
          {"prompt_set", run.promptSet(), "64"},
          {"purpose", run.purpose(), "32"}
        }) {
          if (f[1] != null) {
            ReportValidator.length(at + f[0], f[1], Integer.parseInt(f[2]));
          }
        }
      }
      if (r instanceof Records.Host h) {
        h.labels().forEach(Names::label);
        if (h.role() != null && !h.role().equals("control") && !h.role().equals("fleet")) {
          throw new FleetException(
              FleetException.Kind.INVALID,
              "host " + host + ": role must be control or fleet, " + "not '"
                  + Names.printable(h.role()) + "'");
        }
      }
    }
  }
}
