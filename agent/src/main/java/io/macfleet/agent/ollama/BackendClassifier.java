package io.macfleet.agent.ollama;

import io.macfleet.proto.v1.Backend;
import java.util.Locale;

/**
 * Ollama picks the runner per model from its config blob: safetensors runs on MLX, GGUF (or an
 * empty format) on llama.cpp. There is no global switch, so the tag name is never consulted.
 */
public final class BackendClassifier {
  private BackendClassifier() {}

  public static Backend fromFormat(String format) {
    String f = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
    return switch (f) {
      case "safetensors" -> Backend.BACKEND_MLX;
      case "gguf", "" -> Backend.BACKEND_LLAMA_CPP;
      default -> Backend.BACKEND_UNSPECIFIED;
    };
  }

  public static String label(Backend backend) {
    return switch (backend) {
      case BACKEND_MLX -> "mlx";
      case BACKEND_LLAMA_CPP -> "llama.cpp";
      default -> "unknown";
    };
  }
}
