package io.macfleet.agent.collect.parse;

/** An Apple Silicon chip split into generation ("M4") and tier ("base", "Pro", "Max", "Ultra"). */
public record Chip(String brand, String generation, String tier) {
  @com.fasterxml.jackson.annotation.JsonProperty("apple_silicon")
  public boolean appleSilicon() {
    return !generation.isEmpty();
  }
}
