package io.macfleet.controller.ssh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When an agent goes silent, what an SSH login to the Mac can tell: asleep (it slept after the agent's last
 * report and this login woke it), agent not installed or down (launchd's view of io.macfleet.agent), Ollama
 * down (its API does not answer on the Mac itself), or all of it up (then the reports are lost on the way).
 * The commands are fixed; classify is a pure function of their results.
 */
public final class AgentlessCheck {
  public enum State {
    UNREACHABLE,
    ASLEEP,
    AGENT_NOT_INSTALLED,
    AGENT_DOWN,
    OLLAMA_DOWN,
    UP;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Outcome(State state, String summary, List<String> evidence) {}

  public static final String LABEL = "io.macfleet.agent";
  static final List<String> SLEEP = List.of("/usr/sbin/sysctl", "kern.sleeptime", "kern.waketime");
  static final List<String> AGENT = List.of("/bin/launchctl", "print", "system/" + LABEL);
  static final List<String> OLLAMA =
      List.of("/usr/bin/curl", "-sS", "-m", "3", "http://127.0.0.1:11434/api/version");
  private static final Pattern SEC =
      Pattern.compile("kern\\.(sleeptime|waketime):\\s*\\{\\s*sec\\s*=\\s*(\\d+)");
  private static final Pattern STATE =
      Pattern.compile("^\\s*state\\s*=\\s*(.+?)\\s*$", Pattern.MULTILINE);
  private static final Pattern LAST_EXIT =
      Pattern.compile("^\\s*last exit code\\s*=\\s*(.+?)\\s*$", Pattern.MULTILINE);
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]{1,64})\"");

  private AgentlessCheck() {}

  public static List<List<String>> commands() {
    return List.of(SLEEP, AGENT, OLLAMA);
  }

  public static Outcome classify(
      Instant now,
      Instant lastSeen,
      RemoteShell.Result sleep,
      RemoteShell.Result agent,
      RemoteShell.Result ollama) {
    List<String> evidence = new ArrayList<>();
    Instant slept = null;
    Instant woke = null;
    Matcher m = SEC.matcher(sleep.out());
    while (m.find()) {
      Instant t = Instant.ofEpochSecond(Long.parseLong(m.group(2)));
      if (m.group(1).equals("sleeptime")) {
        slept = t;
      } else {
        woke = t;
      }
    }
    evidence.add(
        slept == null
            ? "sleep/wake: not readable (" + firstLine(sleep) + ")"
            : "last sleep " + slept + ", last wake " + woke);
    boolean asleep = slept != null
        && woke != null
        && !woke.isBefore(slept)
        && Duration.between(woke, now).compareTo(Duration.ofMinutes(5)) <= 0
        && (lastSeen == null || !slept.isBefore(lastSeen.minusSeconds(60)));

    String agentState;
    State agentProblem = null;
    if (agent.exit() == 0) {
      Matcher s = STATE.matcher(agent.out());
      agentState = s.find() ? s.group(1) : "unknown";
      Matcher x = LAST_EXIT.matcher(agent.out());
      evidence.add("launchd: " + LABEL + " state = " + agentState
          + (x.find() ? ", last exit code = " + x.group(1) : ""));
      if (!agentState.equals("running")) {
        agentProblem = State.AGENT_DOWN;
      }
    } else {
      boolean missing = agent.exit() == 113
          || agent.out().contains("Could not find service")
          || agent.err().contains("Could not find service");
      boolean noLaunchctl = agent.exit() == 127;
      evidence.add("launchd: "
          + (noLaunchctl
              ? "no launchctl on this host (not a Mac?)"
              : missing
                  ? LABEL + " is not loaded"
                  : "launchctl failed (" + firstLine(agent) + ")"));
      agentProblem = State.AGENT_NOT_INSTALLED;
      agentState = "missing";
    }

    Matcher v = VERSION.matcher(ollama.out());
    boolean ollamaUp = ollama.exit() == 0 && v.find();
    evidence.add(
        ollamaUp
            ? "Ollama " + v.group(1) + " answers on 127.0.0.1:11434"
            : "Ollama does not answer on 127.0.0.1:11434 ("
                + (ollama.exit() == 7
                    ? "connection refused"
                    : ollama.exit() == 28 ? "timed out" : firstLine(ollama))
                + ")");

    if (asleep) {
      return new Outcome(
          State.ASLEEP,
          "asleep: slept at " + slept + " after the agent's last report and woke at " + woke
              + " (this check may have woken it); the agent should report again shortly",
          evidence);
    }
    if (agentProblem == State.AGENT_NOT_INSTALLED) {
      return new Outcome(
          agentProblem,
          "the agent is not installed in launchd (" + LABEL + "); run the Ansible "
              + "role or `macfleet-agent launchd-plist` on the Mac",
          evidence);
    }
    if (agentProblem == State.AGENT_DOWN) {
      return new Outcome(
          agentProblem,
          "the agent is installed but " + agentState + "; see `launchctl print " + "system/" + LABEL
              + "` and the agent log on the Mac",
          evidence);
    }
    if (!ollamaUp) {
      return new Outcome(
          State.OLLAMA_DOWN, "the agent runs but Ollama is down on the Mac", evidence);
    }
    return new Outcome(
        State.UP,
        "the agent and Ollama both run: its reports are lost on the way (network, "
            + "controller address or credentials; see the agent log)",
        evidence);
  }

  private static String firstLine(RemoteShell.Result r) {
    String s = (r.err().isBlank() ? r.out() : r.err()).strip();
    int nl = s.indexOf('\n');
    s = nl >= 0 ? s.substring(0, nl) : s;
    return "exit " + r.exit()
        + (s.isEmpty() ? "" : ": " + (s.length() > 120 ? s.substring(0, 120) + "…" : s));
  }
}
