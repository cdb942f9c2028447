package io.macfleet.agent.collect;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One snapshot's view of the commands: each kind runs at most once, however many collectors read it. */
public final class CachingCommands implements HostCommands {
  private final HostCommands delegate;
  private final Map<String, Object> results = new HashMap<>();

  public CachingCommands(HostCommands delegate) {
    this.delegate = delegate;
  }

  @Override
  @SuppressWarnings("unchecked")
  public synchronized Optional<String> output(String kind) throws CommandFailed {
    Object r = results.get(kind);
    if (r == null) {
      try {
        r = delegate.output(kind);
      } catch (CommandFailed e) {
        r = e;
      }
      results.put(kind, r);
    }
    if (r instanceof CommandFailed f) {
      throw f;
    }
    return (Optional<String>) r;
  }

  /** Forget this round's outputs before the next snapshot. */
  public synchronized void clear() {
    results.clear();
  }
}
