package io.macfleet.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macfleet.agent.collect.parse.PlistReader;
import io.macfleet.agent.install.LaunchdPlist;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rendered LaunchDaemon plist, read back by Python's plistlib (a real plist parser) and by our own. */
class LaunchdPlistTest {
  static String render(String... args) {
    StringWriter out = new StringWriter();
    int code = AgentMain.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args);
    assertThat(code).isZero();
    return out.toString();
  }

  static JsonNode plistlib(Path file) throws Exception {
    Process p = new ProcessBuilder(
            "python3",
            "-c",
            "import plistlib,json,sys; "
                + "print(json.dumps(plistlib.load(open(sys.argv[1],'rb'))))",
            file.toString())
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("plistlib: " + out).isZero();
    return new ObjectMapper().readTree(out);
  }

  @Test
  void aValidLaunchDaemonWithAbsolutePathsAndASmallJvm(@TempDir Path dir) throws Exception {
    String xml = render(
        "launchd-plist",
        "--java",
        "/Library/Java/JavaVirtualMachines/temurin-17.jdk/Contents/Home/bin/java",
        "--ollama-log",
        "/Users/ops/.ollama/logs/server.log",
        "--user",
        "_macfleet");
    Path f = dir.resolve("io.macfleet.agent.plist");
    Files.writeString(f, xml);
    JsonNode p = plistlib(f);
    assertThat(p.path("Label").asText()).isEqualTo("io.macfleet.agent");
    assertThat(p.path("RunAtLoad").asBoolean()).isTrue();
    assertThat(p.path("KeepAlive").asBoolean()).isTrue();
    assertThat(p.path("ThrottleInterval").asInt()).isEqualTo(30);
    assertThat(p.path("UserName").asText()).isEqualTo("_macfleet");
    assertThat(p.path("StandardErrorPath").asText()).isEqualTo("/Library/Logs/macfleet-agent.log");
    assertThat(p.path("WorkingDirectory").asText())
        .isEqualTo("/Library/Application Support/macfleet-agent");
    assertThat(p.path("EnvironmentVariables").path("LC_ALL").asText()).isEqualTo("C");
    List<String> args = new ObjectMapper().convertValue(p.path("ProgramArguments"), List.class);
    assertThat(args.get(0)).startsWith("/");
    assertThat(args)
        .containsSubsequence(
            "-Xmx32m",
            "-jar",
            "/usr/local/macfleet/macfleet-agent.jar",
            "run",
            "--state-dir",
            "/Library/Application Support/macfleet-agent");
    assertThat(args)
        .contains("-XX:+UseSerialGC", "--ollama-log", "/Users/ops/.ollama/logs/server.log");
    // the class-data archive class-archive records, in the state directory (a path with a space,
    // one argument),
    // and one malloc arena; no JVM message ever on stdout, which is the agent's log too
    assertThat(args)
        .containsSubsequence(
            "-Xlog:disable",
            "-Xlog:all=warning:stderr",
            "-XX:SharedArchiveFile=/Library/Application Support/macfleet-agent/agent.jsa",
            "-jar");
    assertThat(p.path("EnvironmentVariables").path("MALLOC_ARENA_MAX").asText()).isEqualTo("1");
    Map<String, Object> ours = PlistReader.readDict(xml);
    assertThat(ours).containsEntry("Label", "io.macfleet.agent").containsEntry("KeepAlive", true);
  }

  @Test
  void refusesRelativePathsAndEscapesXml() {
    assertThatThrownBy(() -> LaunchdPlist.render(
            new LaunchdPlist.Settings("java", "/a.jar", "/s", "/l", "u", "15s", null, null)))
        .hasMessageContaining("absolute paths");
    String xml = LaunchdPlist.render(new LaunchdPlist.Settings(
        "/usr/bin/java",
        "/opt/a&b<c>.jar",
        "/s",
        "/l",
        "http://127.0.0.1:11434",
        "15s",
        null,
        null));
    assertThat(xml).contains("/opt/a&amp;b&lt;c&gt;.jar");
  }
}
