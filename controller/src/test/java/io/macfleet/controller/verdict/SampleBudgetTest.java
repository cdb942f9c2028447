package io.macfleet.controller.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import io.macfleet.controller.fleet.RunService;
import io.macfleet.controller.store.Database;
import io.macfleet.controller.store.HostRepository;
import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.InterchangeRepository;
import io.macfleet.controller.store.RunRepository;
import io.macfleet.controller.store.VerdictRepository;
import io.macfleet.proto.v1.ProbeSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A scheduled probe whose last verdict had too few samples asks for twice as many next time, up to a cap. */
class SampleBudgetTest {
  @Test
  void insufficientDataDoublesTheNextScheduledProbe(@TempDir Path dir) {
    try (Database db = Database.open(Database.h2Url(dir), "", "", 2)) {
      HostRepository hosts = new HostRepository(db);
      RunRepository runs = new RunRepository(db);
      VerdictRepository verdicts = new VerdictRepository(db);
      hosts.insert("h1", "mac-a", "", "k1", OffsetDateTime.now());
      HostRow h = hosts.findByName("mac-a", false).orElseThrow();
      try (RunService runService = new RunService(
              hosts, runs, (id, work) -> false, Clock.systemUTC(), Duration.ofMinutes(30));
          VerdictService service = new VerdictService(
              new InterchangeRepository(db),
              verdicts,
              runs,
              hosts,
              runService,
              Clock.systemUTC(),
              Thresholds.defaults())) {
        ProbeSpec spec = ProbeSpec.newBuilder().setModel("m:1").setSamples(24).build();
        assertThat(service.specFor(h, spec, "scheduled").getSamples())
            .isEqualTo(24); // no verdict yet

        runs.insert(
            "r1",
            "h1",
            "m:1",
            "scheduled",
            io.macfleet.controller.store.RunStatus.REQUESTED,
            "",
            OffsetDateTime.now().minusHours(1),
            spec.toByteArray());
        verdicts.insert("h1", "r1", "m:1", 1, "insufficient_data", "{}", OffsetDateTime.now());
        assertThat(service.specFor(h, spec, "scheduled").getSamples()).isEqualTo(48);
        assertThat(service.specFor(h, spec, "manual").getSamples())
            .isEqualTo(24); // only schedules grow

        runs.insert(
            "r2",
            "h1",
            "m:1",
            "scheduled",
            io.macfleet.controller.store.RunStatus.REQUESTED,
            "",
            OffsetDateTime.now(),
            spec.toBuilder().setSamples(160).build().toByteArray());
        verdicts.insert("h1", "r2", "m:1", 1, "insufficient_data", "{}", OffsetDateTime.now());
        assertThat(service.specFor(h, spec, "scheduled").getSamples())
            .isEqualTo(VerdictService.MAX_SAMPLES);

        verdicts.insert("h1", "r2", "m:1", 1, "no_change", "{}", OffsetDateTime.now());
        assertThat(service.specFor(h, spec, "scheduled").getSamples())
            .isEqualTo(24); // enough again
      }
    }
  }
}
