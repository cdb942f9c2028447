package io.macfleet.agent.ollama;

/** Why Ollama could not be read; unreachable means nothing answered, otherwise it answered badly. */
public final class OllamaException extends Exception {
  private final boolean unreachable;

  public OllamaException(String message, boolean unreachable, Throwable cause) {
    super(message, cause);
    this.unreachable = unreachable;
  }

  public OllamaException(String message, boolean unreachable) {
    this(message, unreachable, null);
  }

  public boolean unreachable() {
    return unreachable;
  }
}
