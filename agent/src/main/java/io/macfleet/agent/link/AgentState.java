package io.macfleet.agent.link;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  private static final ObjectMapper JSON = new ObjectMapper();

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

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Enrollment {
    @JsonProperty("controller")
    public String controller;

    @JsonProperty("host_id")
    public String hostId;

    @JsonProperty("hostname")
    public String hostname;

    @JsonProperty("insecure")
    public boolean insecure;

    @JsonProperty("enrolled_at")
    public String enrolledAt;
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
      return JSON.readValue(Files.readAllBytes(enrollmentFile()), Enrollment.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(
          enrollmentFile() + " is damaged (" + e.getOriginalMessage() + "); enroll again", e);
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
    SecureFiles.writeAtomically(
        enrollmentFile(), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(e), false);
  }
}
