package io.macfleet.agent.collect.parse;

import java.util.List;
import java.util.Map;

/** `launchctl print <domain>/<label>`: the job's state, as far as the (unstable) format allows. */
public record LaunchdJob(
    String name,
    String type,
    String state,
    Integer pid,
    String lastExitCode,
    String program,
    List<String> arguments,
    String path,
    Integer runs,
    List<String> properties,
    Map<String, String> fields) {
  @com.fasterxml.jackson.annotation.JsonProperty("running")
  public boolean running() {
    return "running".equals(state);
  }
}
