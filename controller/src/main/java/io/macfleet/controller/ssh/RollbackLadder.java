package io.macfleet.controller.ssh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.macfleet.controller.fleet.AuditLog;
import io.macfleet.controller.fleet.RunService;
import io.macfleet.controller.store.HostRow;
import io.macfleet.controller.store.RollbackRepository;
import io.macfleet.controller.store.RunRepository;
import io.macfleet.controller.store.RunRow;
import io.macfleet.controller.verdict.Verdict;
import io.macfleet.controller.verdict.VerdictService;
import io.macfleet.proto.v1.ProbeSpec;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runbook's five-step rollback, the same way on every host and written down:
 * (1) pin the triple — Ollama version, the model's manifest digest, macOS build;
 * (2) take the model off the MLX path — pull the tag's GGUF variant (--gguf-tag) and/or stop Homebrew upgrading
 *     Ollama (--pin) — and restart Ollama the way it is installed (the app's LaunchAgent, a Homebrew service, or
 *     the host's ollama.restart command);
 * (3) cache surgery — `ollama rm` the tag (Ollama drops the blobs nothing else references) and pull it again,
 *     with the digest logged before and after;
 * (4) probe 1-way then 4-way through the agent and judge the run against the baseline;
 * (5) record the policy (lab or production) and the outcome.
 * Each step is safe to run again; the first failing step stops the ladder; every command is audited; a dry run
 * prints every command and runs none.
 */
public final class RollbackLadder {
  public enum Status {
    PLANNED,
    OK,
    FAILED,
    SKIPPED,
    NOT_REACHED;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Step(
      int number, String name, Status status, List<String> commands, String detail) {}

  public record Options(
      String model,
      String ggufTag,
      boolean pinOllama,
      String policy,
      boolean dryRun,
      int probeSamples,
      Duration probeTimeout) {}

  public record Report(
      String id,
      String host,
      String model,
      String policy,
      boolean dryRun,
      String outcome,
      List<Step> steps) {}

  private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+\\.\\d+[\\w.-]*)");
  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(30);

  private final SshService ssh;
  private final RunService runs;
  private final RunRepository runRows;
  private final VerdictService verdicts;
  private final RollbackRepository rollbacks;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration commandTimeout;

  public RollbackLadder(
      SshService ssh,
      RunService runs,
      RunRepository runRows,
      VerdictService verdicts,
      RollbackRepository rollbacks,
      AuditLog audit,
      Clock clock,
      Duration commandTimeout) {
    this.ssh = ssh;
    this.runs = runs;
    this.runRows = runRows;
    this.verdicts = verdicts;
    this.rollbacks = rollbacks;
    this.audit = audit;
    this.clock = clock;
    this.commandTimeout = commandTimeout;
  }

  /** The mutable state of one ladder as it climbs. */
  private final class Climb {
    final String id = "rb-" + UUID.randomUUID().toString().substring(0, 12);
    final String actor;
    final HostRow host;
    final Options o;
    final List<Step> steps = new ArrayList<>();
    RemoteShell.Connection conn;
    OllamaPaths paths;
    String version;
    String build;
    String digestBefore;
    String digestAfter;
    String probeRun;
    String verdict;

    Climb(String actor, HostRow host, Options o) {
      this.actor = actor;
      this.host = host;
      this.o = o;
    }

    /** Runs one command, audits it, and fails the step on a non-zero exit. */
    RemoteShell.Result run(String step, List<String> argv, List<String> shown, Duration timeout)
        throws StepFailed {
      shown.add(ShellQuote.command(argv));
      try {
        RemoteShell.Result r = conn.run(argv, timeout);
        audit.record(
            actor,
            "rollback." + step,
            host.name(),
            id + ": " + String.join(" ", argv),
            r.exit(),
            r.out() + r.err());
        return r;
      } catch (IOException e) {
        audit.record(
            actor,
            "rollback." + step,
            host.name(),
            id + ": " + String.join(" ", argv),
            255,
            String.valueOf(e.getMessage()));
        throw new StepFailed("could not run " + argv.get(0) + ": " + e.getMessage());
      }
    }

    RemoteShell.Result must(String step, List<String> argv, List<String> shown, Duration timeout)
        throws StepFailed {
      RemoteShell.Result r = run(step, argv, shown, timeout);
      if (!r.ok()) {
        throw new StepFailed(String.join(" ", argv) + " "
            + (r.timedOut() ? "timed out" : "exited " + r.exit()) + tail(r));
      }
      return r;
    }
  }

  private static final class StepFailed extends Exception {
    StepFailed(String message) {
      super(message);
    }
  }

  public Report run(String actor, HostRow host, Options o) {
    ShellQuote.model(o.model());
    if (o.ggufTag() != null) {
      ShellQuote.model(o.ggufTag());
    }
    if (!o.policy().equals("lab") && !o.policy().equals("production")) {
      throw new IllegalArgumentException("--policy must be lab or production");
    }
    Climb c = new Climb(actor, host, o);
    OffsetDateTime started = OffsetDateTime.now(clock);
    if (o.dryRun()) {
      return plan(c);
    }
    SshTarget target = SshTarget.of(host.name(), host.labels());
    try (RemoteShell.Connection conn = ssh.shell().open(target)) {
      c.conn = conn;
      climb(c);
    } catch (IOException e) {
      c.steps.add(new Step(
          1,
          "connect",
          Status.FAILED,
          List.of("ssh " + target.user() + "@" + target.knownHostsName()),
          e.getMessage()));
      audit.record(
          actor,
          "rollback.connect",
          host.name(),
          c.id,
          e instanceof KnownHosts.Mismatch ? 4 : 3,
          e.getMessage());
    }
    String outcome =
        c.steps.stream().anyMatch(s -> s.status() == Status.FAILED) ? "stopped" : "completed";
    record(c, started, outcome);
    return new Report(
        c.id, host.name(), o.model(), o.policy(), false, outcome, List.copyOf(c.steps));
  }

  private void climb(Climb c) {
    String[] names = {"pin_triple", "off_mlx", "cache_surgery", "probe", "record"};
    for (int i = 0; i < names.length; i++) {
      List<String> shown = new ArrayList<>();
      try {
        String detail = switch (i) {
          case 0 -> pin(c, shown);
          case 1 -> offMlx(c, shown);
          case 2 -> surgery(c, shown);
          case 3 -> probe(c, shown);
          default -> "policy " + c.o.policy() + "; outcome recorded as rollback " + c.id;
        };
        c.steps.add(new Step(
            i + 1,
            names[i],
            detail.startsWith("skipped") ? Status.SKIPPED : Status.OK,
            shown,
            detail));
      } catch (StepFailed e) {
        c.steps.add(new Step(i + 1, names[i], Status.FAILED, shown, e.getMessage()));
        for (int j = i + 1; j < names.length; j++) {
          c.steps.add(
              new Step(j + 1, names[j], Status.NOT_REACHED, List.of(), "a step before it failed"));
        }
        return;
      }
    }
  }

  private String pin(Climb c, List<String> shown) throws StepFailed {
    String home = c.host.labels().containsKey("ollama.models")
        ? null
        : c.must("pin_triple", List.of("/usr/bin/printenv", "HOME"), shown, commandTimeout)
            .out()
            .strip();
    try {
      c.paths = OllamaPaths.of(c.host.labels(), home);
    } catch (IllegalArgumentException e) {
      throw new StepFailed(e.getMessage());
    }
    Matcher v = VERSION.matcher(
        c.must("pin_triple", List.of(c.paths.bin(), "--version"), shown, commandTimeout)
            .out());
    c.version = v.find() ? v.group(1) : "unknown";
    RemoteShell.Result build = c.run(
        "pin_triple", List.of("/usr/sbin/sysctl", "-n", "kern.osversion"), shown, commandTimeout);
    c.build = build.ok() ? build.out().strip() : "unknown";
    RemoteShell.Result manifest = c.run(
        "pin_triple", List.of("/bin/cat", c.paths.manifest(c.o.model())), shown, commandTimeout);
    if (!manifest.ok()) {
      throw new StepFailed(c.o.model() + " is not on " + c.host.name() + " (no manifest at "
          + c.paths.manifest(c.o.model()) + ")");
    }
    c.digestBefore = AuditLog.sha256(manifest.out());
    return "Ollama " + c.version + ", " + c.o.model() + " " + c.digestBefore + ", macOS build "
        + c.build;
  }

  private String offMlx(Climb c, List<String> shown) throws StepFailed {
    List<String> did = new ArrayList<>();
    if (c.o.ggufTag() != null) {
      c.must("off_mlx", List.of(c.paths.bin(), "pull", c.o.ggufTag()), shown, PULL_TIMEOUT);
      did.add("pulled the GGUF variant " + c.o.ggufTag() + " (llama.cpp path)");
    }
    if (c.o.pinOllama()) {
      c.must("off_mlx", List.of("/opt/homebrew/bin/brew", "pin", "ollama"), shown, commandTimeout);
      did.add(
          "Homebrew will not upgrade Ollama (brew pin); to go back a version, install its package");
    }
    if (did.isEmpty()) {
      return "skipped: neither --gguf-tag nor --pin given; Ollama was not restarted";
    }
    did.add(restart(c, shown));
    return String.join("; ", did);
  }

  /** Restarts Ollama the way it is installed on this host. */
  private String restart(Climb c, List<String> shown) throws StepFailed {
    if (c.paths.restart() != null) {
      c.must("off_mlx", List.of(c.paths.restart()), shown, commandTimeout);
      return "restarted Ollama with " + c.paths.restart();
    }
    String uid = c.must("off_mlx", List.of("/usr/bin/id", "-u"), shown, commandTimeout)
        .out()
        .strip();
    if (!uid.matches("\\d{1,10}")) {
      throw new StepFailed("id -u printed '" + AdminSshPolicy.printable(uid) + "'");
    }
    String app = "gui/" + uid + "/com.ollama.ollama";
    if (c.run("off_mlx", List.of("/bin/launchctl", "print", app), shown, commandTimeout)
        .ok()) {
      c.must("off_mlx", List.of("/bin/launchctl", "kickstart", "-k", app), shown, commandTimeout);
      return "restarted Ollama.app (launchctl kickstart -k " + app + ")";
    }
    RemoteShell.Result brew = c.run(
        "off_mlx", List.of("/opt/homebrew/bin/brew", "services", "list"), shown, commandTimeout);
    if (brew.ok() && brew.out().contains("ollama")) {
      c.must(
          "off_mlx",
          List.of("/opt/homebrew/bin/brew", "services", "restart", "ollama"),
          shown,
          PULL_TIMEOUT);
      return "restarted the Homebrew service";
    }
    throw new StepFailed(
        "cannot tell how Ollama is installed on " + c.host.name() + ": no " + app + " LaunchAgent "
            + "and no Homebrew service; set the label ollama.restart to the command that restarts it");
  }

  private String surgery(Climb c, List<String> shown) throws StepFailed {
    c.must("cache_surgery", List.of(c.paths.bin(), "rm", c.o.model()), shown, commandTimeout);
    c.must("cache_surgery", List.of(c.paths.bin(), "pull", c.o.model()), shown, PULL_TIMEOUT);
    RemoteShell.Result manifest = c.must(
        "cache_surgery", List.of("/bin/cat", c.paths.manifest(c.o.model())), shown, commandTimeout);
    c.digestAfter = AuditLog.sha256(manifest.out());
    return "digest before " + c.digestBefore + ", after " + c.digestAfter
        + (c.digestBefore.equals(c.digestAfter)
            ? " (the same blobs came back)"
            : " (the registry serves other blobs now)");
  }

  private String probe(Climb c, List<String> shown) throws StepFailed {
    ProbeSpec spec = ProbeSpec.newBuilder()
        .setModel(c.o.model())
        .setSamples(c.o.probeSamples())
        .addConcurrency(1)
        .addConcurrency(4)
        .build();
    shown.add("replay " + c.host.name() + " --model " + c.o.model() + " --samples "
        + c.o.probeSamples() + " --concurrency 1,4");
    RunRow run = runs.replay(
            c.host.name(),
            spec,
            io.macfleet.controller.interchange.RunPurpose.ROLLBACK_CHECK.wire(),
            null)
        .get(0);
    c.probeRun = run.id();
    long deadline = System.nanoTime() + c.o.probeTimeout().toNanos();
    boolean done = false;
    while (System.nanoTime() < deadline) {
      RunRow now = runRows.get(run.id()).orElseThrow();
      switch (io.macfleet.controller.store.RunStatus.of(now.status())) {
        case DONE -> {
          done = true;
          // The run row says done before the verdict service has stored the run's samples (that
          // happens on its
          // own thread, after the result is committed); a done run with samples always gets a
          // verdict per level,
          // so none yet means "not stored yet".
          List<Verdict> v = verdicts.judge(now, false);
          if (!v.isEmpty()) {
            c.verdict = v.stream()
                .map(x -> x.verdict().wire())
                .reduce((a, b) -> a.equals(b) ? a : a + "/" + b)
                .orElseThrow();
            return "run " + run.id() + ": "
                + v.stream()
                    .map(x -> x.concurrency() + "-way " + x.verdict().wire())
                    .reduce((a, b) -> a + ", " + b)
                    .orElseThrow();
          }
          sleep();
        }
        case FAILED, MISSED, INCOMPLETE ->
          throw new StepFailed("probe run " + run.id() + " " + now.status() + ": " + now.reason());
        default -> sleep();
      }
    }
    if (done) {
      throw new StepFailed(
          "probe run " + run.id() + " finished, but its samples were not stored within "
              + c.o.probeTimeout().toSeconds()
              + " s, so it could not be judged; the controller log says why");
    }
    throw new StepFailed("probe run " + run.id() + " gave no result within "
        + c.o.probeTimeout().toSeconds() + " s");
  }

  private static void sleep() {
    try {
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Every command the ladder would send, in order; placeholders where a value comes from the host. */
  private Report plan(Climb c) {
    OllamaPaths p = OllamaPaths.of(
        c.host.labels(),
        c.host.labels().containsKey("ollama.models")
            ? null
            : "/Users/" + SshTarget.of(c.host.name(), c.host.labels()).user());
    List<Step> steps = new ArrayList<>();
    List<String> pin = new ArrayList<>();
    if (!c.host.labels().containsKey("ollama.models")) {
      pin.add(ShellQuote.command(List.of("/usr/bin/printenv", "HOME")));
    }
    pin.add(ShellQuote.command(List.of(p.bin(), "--version")));
    pin.add(ShellQuote.command(List.of("/usr/sbin/sysctl", "-n", "kern.osversion")));
    pin.add(ShellQuote.command(List.of("/bin/cat", p.manifest(c.o.model())))
        + "   # sha256 of this is the digest");
    steps.add(new Step(
        1, "pin_triple", Status.PLANNED, pin, "record Ollama version, digest, macOS build"));
    List<String> off = new ArrayList<>();
    if (c.o.ggufTag() != null) {
      off.add(ShellQuote.command(List.of(p.bin(), "pull", c.o.ggufTag())));
    }
    if (c.o.pinOllama()) {
      off.add(ShellQuote.command(List.of("/opt/homebrew/bin/brew", "pin", "ollama")));
    }
    if (!off.isEmpty()) {
      if (p.restart() != null) {
        off.add(ShellQuote.command(List.of(p.restart())));
      } else {
        off.add(ShellQuote.command(List.of("/usr/bin/id", "-u")));
        off.add(
            "'/bin/launchctl' 'kickstart' '-k' 'gui/<uid>/com.ollama.ollama'   # Ollama.app, or:");
        off.add(
            ShellQuote.command(List.of("/opt/homebrew/bin/brew", "services", "restart", "ollama")));
      }
    }
    steps.add(new Step(
        2,
        "off_mlx",
        off.isEmpty() ? Status.SKIPPED : Status.PLANNED,
        off,
        off.isEmpty()
            ? "neither --gguf-tag nor --pin given"
            : "off the MLX path, then restart Ollama"));
    steps.add(new Step(
        3,
        "cache_surgery",
        Status.PLANNED,
        List.of(
            ShellQuote.command(List.of(p.bin(), "rm", c.o.model())),
            ShellQuote.command(List.of(p.bin(), "pull", c.o.model())),
            ShellQuote.command(List.of("/bin/cat", p.manifest(c.o.model())))),
        "digest before and after"));
    steps.add(new Step(
        4,
        "probe",
        Status.PLANNED,
        List.of("replay " + c.host.name() + " --model " + c.o.model() + " --samples "
            + c.o.probeSamples() + " --concurrency 1,4"),
        "judged against the baseline"));
    steps.add(new Step(
        5, "record", Status.PLANNED, List.of(), "policy " + c.o.policy() + " and the outcome"));
    audit.record(
        c.actor,
        "rollback.dry_run",
        c.host.name(),
        c.id + ": model " + c.o.model(),
        0,
        steps.toString());
    return new Report(
        c.id, c.host.name(), c.o.model(), c.o.policy(), true, "dry run: nothing was run", steps);
  }

  private void record(Climb c, OffsetDateTime started, String outcome) {
    ObjectMapper json = new ObjectMapper();
    ArrayNode steps = json.createArrayNode();
    for (Step s : c.steps) {
      var n = steps
          .addObject()
          .put("step", s.number())
          .put("name", s.name())
          .put("status", s.status().wire())
          .put("detail", s.detail());
      s.commands().forEach(n.putArray("commands")::add);
    }
    rollbacks.insert(new RollbackRepository.Row(
        c.id,
        c.host.name(),
        c.o.model(),
        c.o.policy(),
        c.actor,
        started,
        OffsetDateTime.now(clock),
        outcome,
        c.version,
        c.digestBefore,
        c.digestAfter,
        c.build,
        c.probeRun,
        c.verdict,
        steps.toString()));
    audit.record(
        c.actor,
        "rollback",
        c.host.name(),
        c.id + ": " + c.o.model() + " policy " + c.o.policy() + " " + outcome,
        outcome.equals("completed") ? 0 : 1,
        steps.toString());
  }

  private static String tail(RemoteShell.Result r) {
    String s = (r.err().isBlank() ? r.out() : r.err()).strip();
    if (s.isEmpty()) {
      return "";
    }
    String[] lines = s.split("\n");
    String last = lines[lines.length - 1];
    return ": " + (last.length() > 200 ? last.substring(0, 200) + "…" : last);
  }
}
