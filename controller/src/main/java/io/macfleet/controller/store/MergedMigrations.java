package io.macfleet.controller.store;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.ValidateOutput;
import org.flywaydb.core.api.output.ValidateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * V1–V17 (all but V4, Quartz's) were kept as one copy per database until they were merged into
 * db/migration/common, which changed their checksums. A database migrated before then holds the old copies'
 * checksums in Flyway's history, and Flyway would refuse to start on it. When every mismatch is an old copy's
 * known checksum, the history is realigned (Flyway repair) before migrating; any other mismatch is left for
 * Flyway to refuse, since it means a migration was edited after it ran.
 */
final class MergedMigrations {
  private static final Logger log = LoggerFactory.getLogger(MergedMigrations.class);

  /**
   * Version → checksums of the H2 and the PostgreSQL copy, as Flyway recorded them (commit 60a3e16, the last
   * with separate copies; read from databases those copies migrated).
   */
  static final Map<String, Set<Integer>> OLD_COPIES = Map.ofEntries(
      Map.entry("1", Set.of(-910333342, -1876030766)),
      Map.entry("2", Set.of(322618785, -1994815486)),
      Map.entry("3", Set.of(1852220760, -1127164489)),
      Map.entry("5", Set.of(1106335291, 72919123)),
      Map.entry("6", Set.of(-1177117426, -90618389)),
      Map.entry("7", Set.of(-1739483283, -428957997)),
      Map.entry("8", Set.of(546929507, -1319320301)),
      Map.entry("9", Set.of(-1725385355, 697412960)),
      Map.entry("10", Set.of(-1002050232, -951084644)),
      Map.entry("11", Set.of(-654737553, -517975698)),
      Map.entry("12", Set.of(843875665, 30002855)),
      Map.entry("13", Set.of(-1117945911)),
      Map.entry("14", Set.of(1497335416)),
      Map.entry("15", Set.of(1468792686, -170511232)),
      Map.entry("16", Set.of(998781530, 1793596839)),
      Map.entry("17", Set.of(-1035815598, -1776605454)));

  private MergedMigrations() {}

  /** Realigns the history's checksums when the only mismatches are the old copies'; true if it did. */
  static boolean realign(Flyway flyway) {
    ValidateResult result = flyway.validateWithResult();
    if (result.validationSuccessful) {
      return false;
    }
    List<ValidateOutput> mismatches = result.invalidMigrations.stream()
        .filter(m ->
            m.errorDetails != null && m.errorDetails.errorCode == CoreErrorCode.CHECKSUM_MISMATCH)
        .toList();
    if (mismatches.isEmpty()) {
      return false;
    }
    Map<String, Integer> applied = Arrays.stream(flyway.info().applied())
        .filter(m -> m.getVersion() != null && m.getChecksum() != null)
        .collect(Collectors.toMap(
            m -> m.getVersion().getVersion(), MigrationInfo::getChecksum, (a, b) -> b));
    boolean allOldCopies = mismatches.stream()
        .allMatch(m -> OLD_COPIES.getOrDefault(m.version, Set.of()).stream()
            .anyMatch(sum -> Objects.equals(sum, applied.get(m.version))));
    if (!allOldCopies) {
      return false;
    }
    log.info(
        "realigning the checksums of {} migrations merged into one set since this database was made",
        mismatches.size());
    flyway.repair();
    return true;
  }
}
