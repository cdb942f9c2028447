package io.macfleet.agent.collect.clients;

import io.macfleet.proto.v1.ClientKind;
import java.util.List;
import java.util.Locale;

/**
 * What kind of caller a process is, from its command name (lsof cuts it to 9 or 15 characters; helpers carry the
 * app's name: "Code Helper", "Cursor Helper (Plugin)"). Unknown names are OTHER, never guessed.
 */
public final class ClientKinds {
  private static final List<String> IDE = List.of(
      "cursor",
      "code",
      "code helper",
      "electron",
      "zed",
      "xcode",
      "windsurf",
      "idea",
      "pycharm",
      "goland",
      "webstorm",
      "clion",
      "rider",
      "rubymine",
      "phpstorm",
      "datagrip",
      "android studio",
      "jetbrains",
      "fleet",
      "sublime",
      "nova",
      "bbedit",
      "vim",
      "nvim",
      "emacs");
  private static final List<String> CLI = List.of(
      "ollama",
      "curl",
      "wget",
      "http",
      "httpie",
      "xh",
      "aider",
      "llm",
      "claude",
      "codex",
      "gemini",
      "opencode",
      "goose");
  private static final List<String> AUTOMATION = List.of(
      "python",
      "python3",
      "node",
      "java",
      "ruby",
      "perl",
      "deno",
      "bun",
      "go",
      "php",
      "dotnet",
      "n8n",
      "uvicorn",
      "gunicorn",
      "celery",
      "docker",
      "com.docker",
      "open-webui");

  private ClientKinds() {}

  public static ClientKind of(String command) {
    String c = command == null ? "" : command.strip().toLowerCase(Locale.ROOT);
    if (c.isEmpty()) {
      return ClientKind.CLIENT_OTHER;
    }
    if (matches(c, IDE)) {
      return ClientKind.CLIENT_IDE;
    }
    if (matches(c, CLI)) {
      return ClientKind.CLIENT_CLI;
    }
    if (matches(c, AUTOMATION) || c.matches("python\\d(\\.\\d+)?") || c.startsWith("java")) {
      return ClientKind.CLIENT_AUTOMATION;
    }
    return ClientKind.CLIENT_OTHER;
  }

  /** The whole name, or its first word ("Cursor Helper (Plugin)" is Cursor's). */
  private static boolean matches(String c, List<String> names) {
    String first = c.split("[\\s(]", 2)[0];
    for (String n : names) {
      if (c.equals(n) || first.equals(n) || c.startsWith(n + " ")) {
        return true;
      }
    }
    return false;
  }
}
