package io.macfleet.agent.ollama;

import com.google.protobuf.Timestamp;
import io.macfleet.agent.json.JsonTree;
import io.macfleet.agent.json.JsonTree.Node;
import io.macfleet.proto.v1.ModelInfo;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Pure parsing of /api/version, /api/tags and /api/ps bodies. Unknown fields are ignored (Ollama adds
 * them often); missing or mistyped required parts are reported as errors naming the endpoint.
 */
public final class OllamaInventoryParser {
  private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

  private OllamaInventoryParser() {}

  public static String version(String body) throws OllamaException {
    Node root = tree("/api/version", body);
    Node v = root.get("version");
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new OllamaException("/api/version has no \"version\" string; is this Ollama?", false);
    }
    return v.asText().strip();
  }

  /** Models from /api/tags keyed by name, in Ollama's order. */
  public static Map<String, ModelInfo.Builder> tags(String body) throws OllamaException {
    Map<String, ModelInfo.Builder> out = new LinkedHashMap<>();
    for (Node m : models("/api/tags", body)) {
      ModelInfo.Builder b = model(m);
      if (b != null) {
        out.put(b.getName(), b);
      }
    }
    return out;
  }

  /**
   * What /api/show declares about a model beside its digest (Gate A: a tag alone is not an identity): its
   * architecture, parameter count and dtype. The dtype is details.quantization_level, or the GGUF file type's
   * number when Ollama gives no level. Each at most 64 characters; absent ones empty or 0.
   */
  public record Declared(String architecture, long parameterCount, String dtype) {
    public static final Declared UNKNOWN = new Declared("", 0, "");
  }

  public static Declared show(String body) throws OllamaException {
    Node root = tree("/api/show", body);
    Node info = root.path("model_info");
    String dtype = capped(root.path("details").path("quantization_level").asText(""));
    if (dtype.isEmpty() && info.path("general.file_type").isIntegralNumber()) {
      dtype = "file_type " + info.path("general.file_type").asLong();
    }
    long params = info.path("general.parameter_count").isIntegralNumber()
        ? Math.max(0, info.path("general.parameter_count").asLong())
        : 0;
    return new Declared(capped(info.path("general.architecture").asText("")), params, dtype);
  }

  private static String capped(String s) {
    String t = s.strip();
    return t.length() > 64 ? t.substring(0, 64) : t;
  }

  /** Loaded models from /api/ps. */
  public static List<ModelInfo.Builder> ps(String body) throws OllamaException {
    List<ModelInfo.Builder> out = new ArrayList<>();
    for (Node m : models("/api/ps", body)) {
      ModelInfo.Builder b = model(m);
      if (b != null) {
        b.setLoaded(true)
            .setSizeVram(m.path("size_vram").asLong(0))
            .setContextLength(m.path("context_length").asInt(0));
        timestamp(m.path("expires_at").asText("")).ifPresent(b::setExpiresAt);
        out.add(b);
      }
    }
    return out;
  }

  /** Joins tags and ps: every tag once, loaded ones marked, a loaded model missing from tags kept. */
  public static List<ModelInfo> merge(
      Map<String, ModelInfo.Builder> tags, List<ModelInfo.Builder> loaded) {
    Map<String, ModelInfo.Builder> all = new LinkedHashMap<>(tags);
    for (ModelInfo.Builder l : loaded) {
      ModelInfo.Builder t = all.get(l.getName());
      if (t == null) {
        all.put(l.getName(), l);
      } else {
        t.setLoaded(true).setSizeVram(l.getSizeVram()).setContextLength(l.getContextLength());
        if (l.hasExpiresAt()) {
          t.setExpiresAt(l.getExpiresAt());
        }
      }
    }
    List<ModelInfo> out = new ArrayList<>();
    all.values().forEach(b -> out.add(b.build()));
    return out;
  }

  public static boolean validDigest(String digest) {
    return digest != null && DIGEST.matcher(digest).matches();
  }

  private static Node tree(String endpoint, String body) throws OllamaException {
    Node n;
    try {
      n = JsonTree.parse(body);
    } catch (java.io.IOException e) {
      throw new OllamaException(
          endpoint + " returned invalid or truncated JSON (" + e.getMessage() + ")", false, e);
    }
    if (!n.isObject()) {
      throw new OllamaException(endpoint + " did not return a JSON object", false);
    }
    return n;
  }

  private static List<Node> models(String endpoint, String body) throws OllamaException {
    Node root = tree(endpoint, body);
    Node models = root.get("models");
    if (models == null || models.isNull()) {
      return List.of(); // an empty store may answer {"models":null}
    }
    if (!models.isArray()) {
      throw new OllamaException(endpoint + " \"models\" is not a list", false);
    }
    return models.elements();
  }

  private static ModelInfo.Builder model(Node m) {
    String name = m.path("name").asText(m.path("model").asText(""));
    if (name.isBlank()) {
      return null; // nothing to key it by; the rest of the list is still good
    }
    Node d = m.path("details");
    String format = d.path("format").asText("");
    String digest = m.path("digest").asText("").strip().toLowerCase(Locale.ROOT);
    if (digest.startsWith("sha256:")) {
      digest = digest.substring("sha256:".length());
    }
    ModelInfo.Builder b = ModelInfo.newBuilder()
        .setName(name)
        .setDigest(digest)
        .setSizeBytes(Math.max(0, m.path("size").asLong(0)))
        .setFormat(format)
        .setQuantization(d.path("quantization_level").asText(""))
        .setFamily(d.path("family").asText(""))
        .setParameterSize(d.path("parameter_size").asText(""))
        .setBackend(BackendClassifier.fromFormat(format));
    timestamp(m.path("modified_at").asText("")).ifPresent(b::setModifiedAt);
    return b;
  }

  static java.util.Optional<Timestamp> timestamp(String text) {
    if (text == null || text.isBlank()) {
      return java.util.Optional.empty();
    }
    try {
      var t = OffsetDateTime.parse(text).toInstant();
      return java.util.Optional.of(Timestamp.newBuilder()
          .setSeconds(t.getEpochSecond())
          .setNanos(t.getNano())
          .build());
    } catch (DateTimeParseException e) {
      return java.util.Optional.empty();
    }
  }
}
