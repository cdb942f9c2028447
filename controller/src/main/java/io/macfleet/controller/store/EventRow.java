package io.macfleet.controller.store;

import java.time.OffsetDateTime;

/** Something that changed on a host at an instant: thermal, power, mobility, memory_pressure, sleep, wake, ollama_version, ollama_state. */
public record EventRow(
    long id,
    String hostId,
    String hostName,
    OffsetDateTime at,
    String kind,
    String from,
    String to,
    String detail,
    long reportSeq) {}
