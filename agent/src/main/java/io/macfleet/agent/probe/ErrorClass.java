package io.macfleet.agent.probe;

/** Why a probe request failed; NONE when it completed with a done line. */
public enum ErrorClass {
  NONE,
  /** 404: the model is not in this Ollama's store. */
  MODEL_MISSING,
  /** 503: Ollama's queue is full (OLLAMA_MAX_QUEUE). */
  QUEUE_FULL,
  /** Another HTTP error before streaming began (400, 500, …). */
  HTTP_ERROR,
  /** An {"error": …} line after the stream had started (HTTP status stays 200). */
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
