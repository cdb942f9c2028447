package io.macfleet.agent.collect;

/** What a host command printed, kept apart from why it may be unusable. */
public record CommandResult(
    int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated) {
  public boolean ok() {
    return !timedOut && exitCode == 0;
  }

  /** A one-line reason for a failed run, for "failed" results shown to the user. */
  public String failureSummary() {
    if (timedOut) {
      return "timed out";
    }
    String err = stderr == null ? "" : stderr.strip();
    int nl = err.indexOf('\n');
    if (nl >= 0) {
      err = err.substring(0, nl);
    }
    return "exit " + exitCode + (err.isEmpty() ? "" : ": " + err);
  }
}
