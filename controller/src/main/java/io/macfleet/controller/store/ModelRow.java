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
    boolean loaded) {}
