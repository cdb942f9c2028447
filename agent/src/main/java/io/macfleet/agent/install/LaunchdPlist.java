package io.macfleet.agent.install;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's LaunchDaemon property list. Absolute paths throughout (launchd's PATH is minimal), C locale,
 * KeepAlive with a ThrottleInterval so a crash loop cannot spin, and JVM flags for a small footprint.
 */
public final class LaunchdPlist {
  public static final String LABEL = "io.macfleet.agent";
  /** Small heap, serial GC, C1 only, bounded metaspace and code cache: the agent idles 99 % of the time. */
  public static final List<String> JVM_FLAGS = List.of(
      "-Xms8m",
      "-Xmx32m",
      // a young generation of 1-2 MB: the daemon allocates a little every few seconds
      "-XX:NewSize=1m",
      "-XX:MaxNewSize=2m",
      "-XX:MinHeapFreeRatio=10",
      "-XX:MaxHeapFreeRatio=30",
      "-Xss512k",
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      // compile only what runs often: most of the daemon's code runs once a report
      "-XX:CompileThresholdScaling=10",
      "-XX:MaxMetaspaceSize=64m",
      "-XX:ReservedCodeCacheSize=16m",
      "-XX:CICompilerCount=1",
      "-XX:-UsePerfData",
      // the JVM's own warnings (a stale class-data archive, say) go to the log, never to stdout
      "-Xlog:disable",
      "-Xlog:all=warning:stderr",
      "-Djava.awt.headless=true");

  /** The class-data archive in the state directory: made by class-archive, used by every start after it. */
  public static final String ARCHIVE = "agent.jsa";

  /** The JVM flags of the daemon: the fixed ones, and its class-data archive (unused until it exists). */
  public static List<String> jvmFlags(String stateDir) {
    List<String> flags = new ArrayList<>(JVM_FLAGS);
    flags.add("-XX:SharedArchiveFile=" + archive(stateDir));
    return flags;
  }

  public static String archive(String stateDir) {
    return stateDir.endsWith("/") ? stateDir + ARCHIVE : stateDir + "/" + ARCHIVE;
  }

  /** What the plist runs: java, the jar, and the agent's own options. */
  public record Settings(
      String java,
      String jar,
      String stateDir,
      String logFile,
      String ollamaUrl,
      String interval,
      String ollamaLog,
      String userName) {
    public static Settings defaults() {
      return new Settings(
          "/usr/bin/java",
          "/usr/local/macfleet/macfleet-agent.jar",
          "/Library/Application Support/macfleet-agent",
          "/Library/Logs/macfleet-agent.log",
          "http://127.0.0.1:11434",
          "15s",
          null,
          null);
    }
  }

  private LaunchdPlist() {}

  public static String render(Settings s) {
    for (String path : new String[] {s.java(), s.jar(), s.stateDir(), s.logFile()}) {
      if (path == null || !path.startsWith("/")) {
        throw new IllegalArgumentException("launchd needs absolute paths; got '" + path + "'");
      }
    }
    List<String> args = new ArrayList<>();
    args.add(s.java());
    args.addAll(jvmFlags(s.stateDir()));
    args.addAll(List.of(
        "-jar",
        s.jar(),
        "run",
        "--state-dir",
        s.stateDir(),
        "--ollama",
        s.ollamaUrl(),
        "--interval",
        s.interval()));
    if (s.ollamaLog() != null && !s.ollamaLog().isBlank()) {
      args.addAll(List.of("--ollama-log", s.ollamaLog()));
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("LANG", "C");
    env.put("LC_ALL", "C");
    env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
    env.put("MACFLEET_AGENT_HOME", s.stateDir());
    // one malloc arena: the daemon's few threads never contend, and each extra arena keeps idle
    // native memory
    env.put("MALLOC_ARENA_MAX", "1");

    StringBuilder x = new StringBuilder();
    x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append(
            "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n")
        .append("<plist version=\"1.0\">\n<dict>\n");
    key(x, "Label").append("\t<string>").append(esc(LABEL)).append("</string>\n");
    key(x, "ProgramArguments").append("\t<array>\n");
    for (String a : args) {
      x.append("\t\t<string>").append(esc(a)).append("</string>\n");
    }
    x.append("\t</array>\n");
    key(x, "EnvironmentVariables").append("\t<dict>\n");
    env.forEach((k, v) -> x.append("\t\t<key>")
        .append(esc(k))
        .append("</key>\n\t\t<string>")
        .append(esc(v))
        .append("</string>\n"));
    x.append("\t</dict>\n");
    key(x, "WorkingDirectory").append("\t<string>").append(esc(s.stateDir())).append("</string>\n");
    key(x, "RunAtLoad").append("\t<true/>\n");
    key(x, "KeepAlive").append("\t<true/>\n");
    key(x, "ThrottleInterval").append("\t<integer>30</integer>\n");
    key(x, "ProcessType").append("\t<string>Standard</string>\n");
    key(x, "StandardOutPath").append("\t<string>").append(esc(s.logFile())).append("</string>\n");
    key(x, "StandardErrorPath").append("\t<string>").append(esc(s.logFile())).append("</string>\n");
    if (s.userName() != null && !s.userName().isBlank()) {
      key(x, "UserName").append("\t<string>").append(esc(s.userName())).append("</string>\n");
    }
    x.append("</dict>\n</plist>\n");
    return x.toString();
  }

  private static StringBuilder key(StringBuilder x, String k) {
    return x.append("\t<key>").append(k).append("</key>\n");
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
