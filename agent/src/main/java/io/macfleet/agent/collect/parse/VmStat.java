package io.macfleet.agent.collect.parse;

import java.util.Map;

/** `vm_stat`: the page size and every counter, keyed in snake_case ("pages_free", "swapins", …). */
public record VmStat(long pageSize, Map<String, Long> counters) {
  @com.fasterxml.jackson.annotation.JsonIgnore
  public Long counter(String name) {
    return counters.get(name);
  }

  /** Memory held by the compressor, in bytes. */
  @com.fasterxml.jackson.annotation.JsonProperty("compressor_bytes")
  public Long compressorBytes() {
    Long pages = counters.get("pages_occupied_by_compressor");
    return pages == null ? null : pages * pageSize;
  }
}
