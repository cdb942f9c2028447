package io.macfleet.controller.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.ModelRow;
import io.macfleet.proto.v1.DriftReport;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DriftAnalyzerTest {
  static HostRow host(
      String name, String gen, String ollama, String build, boolean revoked, ModelRow... models) {
    OffsetDateTime t = OffsetDateTime.parse("2026-11-22T10:00:00Z");
    return new HostRow(
        name,
        name,
        "",
        1,
        t,
        revoked ? t : null,
        t,
        1,
        15,
        "Apple " + gen,
        gen,
        1,
        "macOS",
        "26.3",
        build,
        ollama,
        "up",
        null,
        Map.of(),
        List.of(models),
        null,
        null,
        HostRow.Flags.NONE);
  }

  static ModelRow model(String name, String digest) {
    return declared(name, digest, "");
  }

  static ModelRow declared(String name, String digest, String dtype) {
    return new ModelRow(
        name, digest, 1, "safetensors", "nvfp4", "", "mlx", false, "qwen35moe", 0, dtype);
  }

  @Test
  void oneBlobReadAsAnotherDtypeIsDriftAndTagsOfOneDigestAreOneIdentity() {
    // the same digest everywhere, but one host's Ollama build declares another dtype for it (Gate
    // A)
    DriftReport r = DriftAnalyzer.analyze(List.of(
        host(
            "a",
            "M4",
            "0.32.15",
            "25D125",
            false,
            declared("qwen:1", "aa", "nvfp4"),
            declared("qwen:latest", "aa", "nvfp4")),
        host("b", "M4", "0.33.0", "25D125", false, declared("qwen:1", "aa", "nvfp4")),
        host("c", "M4", "0.33.0", "25D125", false, declared("qwen:1", "aa", "mxfp8"))));
    assertThat(r.getDigestsList()).isEmpty();
    assertThat(r.getDtypesList()).hasSize(1);
    assertThat(r.getDtypes(0).getModel()).isEqualTo("qwen:1");
    assertThat(r.getDtypes(0).getGroups(0).getValue()).isEqualTo("nvfp4");
    assertThat(r.getDtypes(0).getGroups(0).getHostsList()).containsExactly("a", "b");
    assertThat(r.getDtypes(0).getGroups(1).getHostsList()).containsExactly("c");
    assertThat(r.getAliasesList()).hasSize(1);
    assertThat(r.getAliases(0).getTagsList()).containsExactly("qwen:1", "qwen:latest");
    assertThat(r.getAliases(0).getHostsList()).containsExactly("a", "b", "c");
    // a host that could not ask /api/show (empty dtype) is no evidence either way
    DriftReport quiet = DriftAnalyzer.analyze(List.of(
        host("a", "M4", "0.32.15", "25D125", false, declared("qwen:1", "aa", "nvfp4")),
        host("b", "M4", "0.32.15", "25D125", false, declared("qwen:1", "aa", ""))));
    assertThat(quiet.getDtypesList()).isEmpty();
  }

  @Test
  void sameTagDifferentBlobsIsDrift() {
    DriftReport r = DriftAnalyzer.analyze(List.of(
        host("a", "M4", "0.32.15", "25D125", false, model("qwen:1", "aa"), model("llama:1", "ll")),
        host("b", "M4", "0.32.15", "25D125", false, model("qwen:1", "bb"), model("llama:1", "ll")),
        host("c", "M4", "0.32.15", "25D125", false, model("qwen:1", "aa"))));
    assertThat(r.getDigestsList()).hasSize(1);
    var d = r.getDigests(0);
    assertThat(d.getModel()).isEqualTo("qwen:1");
    // the majority digest first
    assertThat(d.getGroups(0).getValue()).isEqualTo("aa");
    assertThat(d.getGroups(0).getHostsList()).containsExactly("a", "c");
    assertThat(d.getGroups(1).getHostsList()).containsExactly("b");
    assertThat(r.getOllamaVersionsList()).isEmpty();
    assertThat(r.getOsBuildsList()).isEmpty();
  }

  @Test
  void versionSpreadIsJudgedWithinAChipGenerationOnly() {
    DriftReport r = DriftAnalyzer.analyze(List.of(
        host("a", "M4", "0.32.15", "25D125", false),
        host("b", "M4", "0.30.2", "25D125", false),
        host("c", "M2", "0.28.0", "24G517", false)));
    assertThat(r.getOllamaVersionsList()).hasSize(1);
    assertThat(r.getOllamaVersions(0).getChipGeneration()).isEqualTo("M4");
    assertThat(r.getOllamaVersions(0).getGroupsList())
        .extracting(g -> g.getValue())
        .containsExactlyInAnyOrder("0.32.15", "0.30.2");
    assertThat(r.getOsBuildsList()).isEmpty();
  }

  @Test
  void revokedHostsDoNotCount() {
    DriftReport r = DriftAnalyzer.analyze(List.of(
        host("a", "M4", "0.32.15", "25D125", false, model("qwen:1", "aa")),
        host("b", "M4", "0.20.0", "25A1", true, model("qwen:1", "zz"))));
    assertThat(r.getDigestsList()).isEmpty();
    assertThat(r.getOllamaVersionsList()).isEmpty();
    assertThat(r.getOsBuildsList()).isEmpty();
  }
}
