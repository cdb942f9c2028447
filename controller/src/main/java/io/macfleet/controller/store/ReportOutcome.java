package io.macfleet.controller.store;

/**
 * What became of one report: stored, a duplicate of one stored before, or refused for a seq too far ahead of the
 * host's; with the highest seq the database holds for the host's enrollment afterwards (0 when none), which the
 * agent uses to resynchronise its counter.
 */
public record ReportOutcome(Kind kind, long heldSeq) {
  public enum Kind {
    STORED,
    DUPLICATE,
    AHEAD
  }

  public boolean stored() {
    return kind == Kind.STORED;
  }
}
