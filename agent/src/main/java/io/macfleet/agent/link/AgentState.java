package io.macfleet.agent.link;

import io.macfleet.agent.json.JsonTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's state directory: enrollment (agent.json), its node key (0600), the pinned controller CA,
 * the sequence counter and the report spool.
 */
public final class AgentState {
  public static final String ENV_HOME = "MACFLEET_AGENT_HOME";

  private final Path dir;

  public AgentState(Path dir) {
    this.dir = dir;
  }

  public static Path defaultDir() {
    String env = System.getenv(ENV_HOME);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".macfleet-agent");
  }

  public Path dir() {
    return dir;
  }

  public Path spoolDir() {
    return dir.resolve("spool");
  }

  public Path seqFile() {
    return dir.resolve("seq");
  }

  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  private Path keyFile() {
    return dir.resolve("node.key");
  }

  private Path enrollmentFile() {
    return dir.resolve("agent.json");
  }

  /** agent.json: where the agent reports and as whom. Unknown members are ignored. */
  public static final class Enrollment {
    public String controller;
    public String hostId;
    public String hostname;
    public boolean insecure;
    public String enrolledAt;

    static Enrollment parse(String text) throws IOException {
      JsonTree.Node n = JsonTree.parse(text);
      if (!n.isObject()) {
        throw new IOException("not a JSON object");
      }
      Enrollment e = new Enrollment();
      e.controller = n.path("controller").asText(null);
      e.hostId = n.path("host_id").asText(null);
      e.hostname = n.path("hostname").asText(null);
      e.insecure = n.path("insecure").asBoolean(false);
      e.enrolledAt = n.path("enrolled_at").asText(null);
      return e;
    }

    String json() {
      return JsonTree.write(g -> {
        try {
          g.useDefaultPrettyPrinter();
          g.writeStartObject();
          g.writeStringField("controller", controller);
          g.writeStringField("host_id", hostId);
          g.writeStringField("hostname", hostname);
          g.writeBooleanField("insecure", insecure);
          g.writeStringField("enrolled_at", enrolledAt);
          g.writeEndObject();
        } catch (IOException x) {
          throw new java.io.UncheckedIOException(x);
        }
      });
    }
  }

  public boolean enrolled() {
    return Files.exists(enrollmentFile()) && Files.exists(keyFile());
  }

  public Enrollment enrollment() throws IOException {
    if (!enrolled()) {
      throw new IOException("this agent is not enrolled (no " + enrollmentFile()
          + "); run: macfleet-agent enroll " + "--controller HOST:PORT --secret-file FILE");
    }
    try {
      return Enrollment.parse(Files.readString(enrollmentFile(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(
          enrollmentFile() + " is damaged (" + e.getMessage() + "); enroll again", e);
    }
  }

  public String nodeKey() throws IOException {
    SecureFiles.requireOwnerOnly(keyFile());
    return Files.readString(keyFile(), StandardCharsets.UTF_8).strip();
  }

  public void saveEnrollment(Enrollment e, String nodeKey, String caPem) throws IOException {
    Files.createDirectories(dir);
    if (caPem != null) {
      SecureFiles.writeString(caFile(), caPem, false);
    } else {
      Files.deleteIfExists(caFile());
    }
    SecureFiles.writeString(keyFile(), nodeKey + "\n", true);
    ReportSpool.forgetAcknowledgements(spoolDir());
    SecureFiles.writeAtomically(enrollmentFile(), e.json().getBytes(StandardCharsets.UTF_8), false);
  }
}
