package io.macfleet.simulator;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Ollama API simulator pretends to be: a version, a model store and a simple timing model.
 * Kept as plain JSON so tests and the demo can write one in a few lines.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class SimulatorProfile {
  public String version = "0.32.15";
  public List<Model> models = new ArrayList<>();
  public Timing timing = new Timing();
  public Faults faults = new Faults();

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Model {
    public String name;
    public String digest;
    public long size;
    public String format = "gguf";
    public String family = "";

    @JsonProperty("parameter_size")
    public String parameterSize = "";

    @JsonProperty("quantization_level")
    public String quantizationLevel = "";
    /** Resident at start, as /api/ps would show. */
    public boolean loaded;

    /** general.parameter_count in /api/show; 0 leaves it out. */
    @JsonProperty("parameter_count")
    public long parameterCount = 0;

    /**
     * The quantization /api/show declares, when it differs from the one /api/tags lists (a build that reads the
     * same blob's dtype differently); null: the same.
     */
    @JsonProperty("declared_quantization")
    public String declaredQuantization = null;

    @JsonProperty("context_length")
    public int contextLength = 4096;
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Timing {
    @JsonProperty("load_ms")
    public long loadMs = 800;

    @JsonProperty("prefill_tokens_per_s")
    public double prefillTokensPerSecond = 600;

    @JsonProperty("decode_tokens_per_s")
    public double decodeTokensPerSecond = 50;
    /** Requests served at once for GGUF models; MLX models are always served one at a time. */
    @JsonProperty("num_parallel")
    public int numParallel = 4;

    @JsonProperty("default_num_predict")
    public int defaultNumPredict = 32;
    /** When set, a warm request's first token lands this long after it got its slot (prefill rate ignored). */
    @JsonProperty("ttft_ms")
    public double ttftMs = 0;
    /** Each token interval varies uniformly by up to ± this much (seeded, so runs repeat). */
    @JsonProperty("jitter_ms")
    public double jitterMs = 0;
    /** Requests waiting for a slot beyond this are refused with 503, as OLLAMA_MAX_QUEUE does. */
    @JsonProperty("max_queue")
    public int maxQueue = 512;
  }

  /** Injected faults, for tests and demos of the probe's error classes; -1 or 0 means off. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static final class Faults {
    /** Send this many tokens, then an {"error": …} line (HTTP status stays 200). */
    @JsonProperty("error_after_tokens")
    public int errorAfterTokens = -1;
    /** Send this many tokens, then close the stream without a done line. */
    @JsonProperty("end_without_done_after_tokens")
    public int endWithoutDoneAfterTokens = -1;
    /** Hold the request this long before answering at all (a hung runner). */
    @JsonProperty("hang_ms")
    public long hangMs = 0;

    @JsonProperty("error_message")
    public String errorMessage = "mlx runner failed: [METAL] Command buffer execution failed";

    /** Answer HTTP 500 with error_message before any byte of the stream: a model that will not load. */
    @JsonProperty("load_error")
    public boolean loadError = false;

    /**
     * The faults above only while more than this many requests of the model are in flight (counting this one):
     * 1 injects them only under concurrency, a crash that a 1-way probe never sees. 0: always.
     */
    @JsonProperty("only_when_in_flight_above")
    public int onlyWhenInFlightAbove = 0;

    /** The faults above only for models of this quantization (Q4_K_M, nvfp4…): null for every model. */
    @JsonProperty("only_for_quantization")
    public String onlyForQuantization = null;
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public static SimulatorProfile read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "simulator profile " + file + " does not exist (or is not a file); write one: a JSON "
              + "object with version, models and timing (see the README's \"Probing\")");
    }
    if (!Files.isReadable(file)) {
      throw new IOException("simulator profile " + file + " cannot be read (permissions)");
    }
    SimulatorProfile p;
    try {
      p = JSON.readValue(Files.readAllBytes(file), SimulatorProfile.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new IOException(
          "simulator profile " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    p.validate(file.toString());
    return p;
  }

  void validate(String where) throws IOException {
    if (version == null || version.isBlank()) {
      throw new IOException(where + ": \"version\" is required");
    }
    for (int i = 0; i < models.size(); i++) {
      Model m = models.get(i);
      if (m.name == null || m.name.isBlank()) {
        throw new IOException(where + ": models[" + i + "].name is required");
      }
      if (m.digest == null || !m.digest.matches("[0-9a-f]{64}")) { // what Ollama's /api/tags holds
        throw new IOException(
            where + ": models[" + i + "].digest must be 64 lowercase hex characters");
      }
    }
    if (timing.decodeTokensPerSecond <= 0 || timing.prefillTokensPerSecond <= 0) {
      throw new IOException(where + ": timing rates must be positive");
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }
}
