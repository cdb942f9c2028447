package io.macfleet.controller.store;

/** One model in a host's Ollama store, as last reported. */
public record ModelRow(
    String name,
    String digest,
    long sizeBytes,
    String format,
    String quantization,
    String family,
    String backend,
    boolean loaded,
    // what /api/show declares (Gate A); empty and 0 when the agent could not ask
    String architecture,
    long parameterCount,
    String declaredDtype) {}
