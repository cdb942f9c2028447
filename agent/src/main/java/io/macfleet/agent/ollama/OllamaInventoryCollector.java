package io.macfleet.agent.ollama;

import io.macfleet.proto.v1.ModelInfo;
import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.OllamaState;

/**
 * Reads version, tags and ps, and what /api/show declares about each model (Gate A). Ollama being down is a state
 * to report, never an exception. What a digest declares never changes, so /api/show is asked once per digest (at
 * most {@link #SHOWS_PER_COLLECTION} new ones a collection, so a host with hundreds of tags is not a burst), and a
 * model whose /api/show fails is reported without it.
 */
public final class OllamaInventoryCollector {
  static final int SHOWS_PER_COLLECTION = 8;
  private static final int KNOWN_DIGESTS = 1024;

  private final OllamaClient client;
  private final java.util.Map<String, OllamaInventoryParser.Declared> declared =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            java.util.Map.Entry<String, OllamaInventoryParser.Declared> e) {
          return size() > KNOWN_DIGESTS;
        }
      };

  public OllamaInventoryCollector(OllamaClient client) {
    this.client = client;
  }

  public OllamaInventory collect() {
    OllamaInventory.Builder b = OllamaInventory.newBuilder().setBaseUrl(client.baseUrl());
    try {
      String version = OllamaInventoryParser.version(client.get("/api/version"));
      var tags = OllamaInventoryParser.tags(client.get("/api/tags"));
      var loaded = OllamaInventoryParser.ps(client.get("/api/ps"));
      return b.setState(OllamaState.OLLAMA_UP)
          .setVersion(version)
          .addAllModels(withDeclared(OllamaInventoryParser.merge(tags, loaded)))
          .build();
    } catch (OllamaException e) {
      return b.setState(e.unreachable() ? OllamaState.OLLAMA_DOWN : OllamaState.OLLAMA_UNHEALTHY)
          .setError(e.getMessage())
          .build();
    }
  }

  private synchronized java.util.List<ModelInfo> withDeclared(java.util.List<ModelInfo> models) {
    int asked = 0;
    java.util.List<ModelInfo> out = new java.util.ArrayList<>(models.size());
    for (ModelInfo m : models) {
      OllamaInventoryParser.Declared d = declared.get(m.getDigest());
      if (d == null && asked < SHOWS_PER_COLLECTION && !m.getDigest().isEmpty()) {
        asked++;
        try {
          d = OllamaInventoryParser.show(client.post(
              "/api/show",
              "{\"model\":" + io.macfleet.agent.json.JsonTree.quote(m.getName()) + "}"));
        } catch (OllamaException e) {
          d = OllamaInventoryParser.Declared.UNKNOWN; // asked once: a later digest asks again
        }
        declared.put(m.getDigest(), d);
      }
      out.add(
          d == null
              ? m
              : m.toBuilder()
                  .setArchitecture(d.architecture())
                  .setParameterCount(d.parameterCount())
                  .setDeclaredDtype(d.dtype())
                  .build());
    }
    return out;
  }
}
