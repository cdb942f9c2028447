package io.macfleet.agent.probe;

/** Why a probe request failed; NONE when it completed with a done line. */
public enum ErrorClass {
  NONE,
  /** 404: the model is not in this Ollama's store. */
  MODEL_MISSING,
  /** 503: Ollama's queue is full (OLLAMA_MAX_QUEUE). */
  QUEUE_FULL,
  /**
   * The model could not serve the request before its first token: an HTTP error other than 404 and 503 (400, 500,
   * …) or an {"error": …} line before any token, with Ollama's message kept (a dtype or quantization the runner
   * cannot load, "unable to load model", a Metal failure at load).
   */
  LOAD_FAILED,
  /** An {"error": …} line after k ≥ 1 tokens (HTTP status stays 200); k is the sample's chunk count. */
  MIDSTREAM_ERROR,
  /** The stream ended without a done line and without an error line (runner died, token-repeat abort). */
  NO_DONE,
  /** No first token before the first-token timeout. */
  HUNG,
  /** The whole request exceeded its total timeout after tokens had started. */
  TIMEOUT,
  /** Nothing listening at the Ollama address (interchange: "refused"). */
  REFUSED,
  /** A line that is not JSON, or another transport failure. */
  PROTOCOL
}
