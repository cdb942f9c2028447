package io.macfleet.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.macfleet.agent.collect.parse.ParserRegistry;
import io.macfleet.agent.collect.parse.UnrecognisedOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description =
        "Run one parser on a saved command output and print what it found. KIND is one of: "
            + "sw_vers, sysctl, cpu-brand, swapusage, pmset-batt, pmset-therm, pmset-assertions, pmset-settings, "
            + "pmset-stats, pmset-log, powermetrics, notifyutil-thermal, vm_stat, memory_pressure, uptime, "
            + "system_profiler-hardware, system_profiler-displays, ioreg-clamshell, launchctl-print, launchctl-list, "
            + "launchd-plist.")
final class ParseCommand implements Callable<Integer> {
  /**
   * Made on first use: picocli builds every subcommand when the agent starts, and the daemon must not load
   * Jackson databind (~400 classes) for a command it never runs.
   */
  static final class Json {
    static final ObjectMapper JSON = new ObjectMapper()
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** Exit code for output the parser does not recognise. */
  static final int UNRECOGNISED = 3;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KIND", description = "Which parser.")
  String kind;

  @Parameters(
      index = "1",
      paramLabel = "FILE",
      description = "The saved output ('-' for standard input).")
  String file;

  @Option(
      names = "--json",
      description = "Print JSON (the default; kept for symmetry with other commands).")
  boolean json;

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    if (!ParserRegistry.kinds().contains(kind)) {
      spec.commandLine()
          .getErr()
          .println("error: unknown kind '" + kind + "'; one of: "
              + String.join(", ", ParserRegistry.kinds()));
      return 2;
    }
    byte[] bytes =
        "-".equals(file) ? System.in.readNBytes(16 << 20) : Files.readAllBytes(Path.of(file));
    String text = new String(bytes, StandardCharsets.UTF_8);
    try {
      Object value = ParserRegistry.parse(kind, text);
      ObjectNode n = Json.JSON.createObjectNode();
      n.put("kind", kind);
      n.set("values", Json.JSON.valueToTree(value));
      out.println(Json.JSON.writeValueAsString(n));
      return 0;
    } catch (UnrecognisedOutput e) {
      ObjectNode n = Json.JSON.createObjectNode();
      n.put("kind", kind);
      n.putObject("error").put("code", "unrecognised_output").put("message", e.getMessage());
      out.println(Json.JSON.writeValueAsString(n));
      return UNRECOGNISED;
    }
  }
}
