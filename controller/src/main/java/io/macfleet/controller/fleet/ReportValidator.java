package io.macfleet.controller.fleet;

import io.macfleet.proto.v1.HostSnapshot;
import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.ReportRequest;

/** Checks a report before it is stored; a refusal names the first problem found. */
public final class ReportValidator {
  public static final int MAX_MODELS = 2000;

  private ReportValidator() {}

  public static void validate(ReportRequest r, String authenticatedHostId) {
    if (!r.getHostId().equals(authenticatedHostId)) {
      throw new FleetException(FleetException.Kind.DENIED, "a host can only report as itself (node key belongs to "
          + authenticatedHostId + ", report claims " + Names.printable(r.getHostId()) + ")");
    }
    if (r.getSeq() < 1) {
      throw invalid("seq must be 1 or more");
    }
    if (!r.hasSnapshot()) {
      throw invalid("report has no snapshot");
    }
    HostSnapshot s = r.getSnapshot();
    if (!s.hasCollectedAt()) {
      throw invalid("snapshot has no collected_at");
    }
    if (s.getIdentity().getHostname().isBlank()) {
      throw invalid("snapshot has no hostname");
    }
    if (s.getOllama().getModelsCount() > MAX_MODELS) {
      throw invalid("snapshot lists " + s.getOllama().getModelsCount() + " models; at most " + MAX_MODELS);
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < s.getOllama().getModelsCount(); i++) {
      ModelInfo m = s.getOllama().getModels(i);
      if (!names.add(m.getName())) {
        throw invalid("models[" + i + "] repeats the name " + Names.printable(m.getName()));
      }
      if (m.getName().isBlank() || m.getName().length() > 255) {
        throw invalid("models[" + i + "] has no usable name");
      }
      if (!m.getDigest().isEmpty() && !isDigest(m.getDigest())) {
        throw invalid("models[" + i + "] (" + Names.printable(m.getName()) + ") digest is not 64 lowercase hex");
      }
      if (m.getFormat().length() > 32 || m.getQuantization().length() > 32 || m.getFamily().length() > 64) {
        throw invalid("models[" + i + "] has an over-long format, quantization or family");
      }
    }
    var id = s.getIdentity();
    if (id.getCpuBrand().length() > 128 || id.getOsVersion().length() > 24 || id.getOsBuild().length() > 32
        || id.getOsName().length() > 64 || id.getChipGeneration().length() > 16
        || s.getOllama().getVersion().length() > 64) {
      throw invalid("identity or Ollama version field too long");
    }
  }

  /**
   * 64 lowercase hex digits, as Ollama names a blob. Checked by hand rather than by a regular expression: every
   * model of every report passes here, on the network thread.
   */
  static boolean isDigest(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static FleetException invalid(String why) {
    return new FleetException(FleetException.Kind.INVALID, why);
  }
}
