package io.macfleet.controller.store;

import io.macfleet.proto.v1.LevelResult;
import java.time.OffsetDateTime;
import java.util.List;

/** A probe run as stored. */
public record RunRow(
    String id,
    String hostId,
    String hostName,
    String model,
    String purpose,
    String status,
    String reason,
    OffsetDateTime requestedAt,
    OffsetDateTime startedAt,
    OffsetDateTime finishedAt,
    byte[] spec,
    Double ttftP95Ratio,
    String resultJson,
    List<LevelResult> levels) {}
