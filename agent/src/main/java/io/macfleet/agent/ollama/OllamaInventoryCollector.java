package io.macfleet.agent.ollama;

import io.macfleet.proto.v1.OllamaInventory;
import io.macfleet.proto.v1.OllamaState;

/** Reads version, tags and ps. Ollama being down is a state to report, never an exception. */
public final class OllamaInventoryCollector {
  private final OllamaClient client;

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
          .addAllModels(OllamaInventoryParser.merge(tags, loaded))
          .build();
    } catch (OllamaException e) {
      return b.setState(e.unreachable() ? OllamaState.OLLAMA_DOWN : OllamaState.OLLAMA_UNHEALTHY)
          .setError(e.getMessage())
          .build();
    }
  }
}
