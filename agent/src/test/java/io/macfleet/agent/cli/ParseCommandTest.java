package io.macfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseCommandTest {
  record Run(int code, JsonNode json, String err) {}

  static Run run(String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = AgentMain.run(new PrintWriter(out), new PrintWriter(err), args);
    String o = out.toString();
    return new Run(code, o.isBlank() ? null : new ObjectMapper().readTree(o), err.toString());
  }

  static String fixture(String name) {
    return Fixtures.dir().resolve("macos").resolve(name).toString();
  }

  @Test
  void namesEveryValueInSnakeCase() throws Exception {
    Run sw = run(
        "parse", "sw_vers", fixture("sw_vers.idx57495279865-26.3.1a-BSI.FRAGMENT.txt"), "--json");
    assertThat(sw.code()).isZero();
    assertThat(sw.json().path("values").path("product_version").asText()).isEqualTo("26.3.1");
    assertThat(sw.json().path("values").path("product_version_extra").asText()).isEqualTo("(a)");
    Run swap = run(
        "parse", "sysctl", fixture("sysctl-vm.swapusage.idx70882299836-16GB-2026.txt"), "--json");
    assertThat(swap.json().path("values").path("swap").path("swap_used_bytes").asLong())
        .isEqualTo(Math.round(990.81 * (1 << 20)));
    Run disp = run(
        "parse",
        "system_profiler-displays",
        fixture(
            "system_profiler-SPDisplaysDataType.idx30449920279-M1-plus-external-LG.INDENT-SHIFTED.txt"),
        "--json");
    assertThat(disp.json().path("values").path("external_display").asBoolean()).isTrue();
  }

  @Test
  void unrecognisedOutputIsAJsonErrorAndANonZeroExit(@TempDir Path dir) throws Exception {
    Path junk = dir.resolve("junk.txt");
    Files.writeString(junk, "sh: pmset: command not found\n");
    Run r = run("parse", "pmset-batt", junk.toString(), "--json");
    assertThat(r.code()).isEqualTo(ParseCommand.UNRECOGNISED);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("unrecognised_output");
    assertThat(r.json().path("error").path("message").asText()).contains("Now drawing from");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void unknownKindAndMissingFileAreClearErrors(@TempDir Path dir) throws Exception {
    Run kind = run("parse", "pmset-nope", dir.resolve("x").toString());
    assertThat(kind.code()).isEqualTo(2);
    assertThat(kind.err()).contains("unknown kind 'pmset-nope'").contains("pmset-batt");
    Run missing = run("parse", "uptime", dir.resolve("missing.txt").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("missing.txt");
  }
}
