package io.macfleet.agent.collect.parse;

import java.util.List;

/** `launchctl list`: PID (null when not running), last status (negative = killed by that signal), label. */
public record LaunchctlList(List<Job> jobs) {
  public record Job(Integer pid, int status, String label) {
    @com.fasterxml.jackson.annotation.JsonProperty("killed_by_signal")
    public Integer killedBySignal() {
      return status < 0 ? -status : null;
    }
  }
}
