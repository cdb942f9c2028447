package io.macfleet.agent.collect;

/** An Apple Silicon chip split into generation ("M4") and tier ("base", "Pro", "Max", "Ultra"). */
public record Chip(String brand, String generation, String tier) {
  public boolean appleSilicon() {
    return !generation.isEmpty();
  }
}
