package io.macfleet.controller.ssh;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where Ollama lives on a Mac: its binary (label ollama.bin, default the app's /usr/local/bin/ollama), its model
 * store (label ollama.models, default ~/.ollama/models of the SSH user) and, optionally, a command that restarts
 * it (label ollama.restart) when it is neither the app's LaunchAgent nor a Homebrew service. Paths are checked
 * to be plain absolute paths before any is sent anywhere.
 */
public record OllamaPaths(String bin, String models, String restart) {
  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/+-]{1,400}");

  public static OllamaPaths of(Map<String, String> labels, String home) {
    String bin = path(labels.getOrDefault("ollama.bin", "/usr/local/bin/ollama"), "ollama.bin");
    String models = labels.containsKey("ollama.models")
        ? path(labels.get("ollama.models"), "ollama.models")
        : home == null ? null : path(home, "HOME") + "/.ollama/models";
    String restart = labels.containsKey("ollama.restart")
        ? path(labels.get("ollama.restart"), "ollama.restart")
        : null;
    return new OllamaPaths(bin, models, restart);
  }

  /**
   * The manifest file of a model tag: manifests/HOST/NAMESPACE/MODEL/TAG, defaults registry.ollama.ai, library,
   * latest (Ollama's Name.Filepath).
   */
  public String manifest(String model) {
    ShellQuote.model(model);
    String name = model;
    String tag = "latest";
    int colon = model.lastIndexOf(':');
    if (colon > model.lastIndexOf('/')) {
      name = model.substring(0, colon);
      tag = model.substring(colon + 1);
    }
    String[] parts = name.split("/");
    String host = "registry.ollama.ai";
    String namespace = "library";
    String repo = parts[parts.length - 1];
    if (parts.length == 2) {
      namespace = parts[0];
    } else if (parts.length == 3) {
      host = parts[0];
      namespace = parts[1];
    }
    if (parts.length > 3 || tag.contains("..") || name.contains("..")) {
      throw new IllegalArgumentException(
          "'" + model + "' is not a model name the ladder can place on disk");
    }
    return (models == null ? "~/.ollama/models" : models) + "/manifests/" + host + "/" + namespace
        + "/" + repo + "/" + tag;
  }

  private static String path(String p, String what) {
    if (!PATH.matcher(p).matches() || p.contains("..")) {
      throw new IllegalArgumentException(
          what + " '" + AdminSshPolicy.printable(p) + "' is not a plain absolute path");
    }
    return p;
  }
}
