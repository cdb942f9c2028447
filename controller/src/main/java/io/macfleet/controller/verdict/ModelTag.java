package io.macfleet.controller.verdict;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an Ollama tag says about a model: which model it is (name, size and variant) and its quantization, so
 * that qwen3.6:35b-a3b-nvfp4 and qwen3.6:35b-a3b-q4_K_M read as two quantizations of one model. The
 * quantization is the tag's last dash-separated part when it names one; without it, it is null.
 */
public record ModelTag(String model, String quantization) {
  private static final Pattern QUANT = Pattern.compile(
      "q[2-8](_[0-9a-z]+)*|iq[1-4](_[0-9a-z]+)*|f16|f32|fp16|fp32|bf16|fp8|fp4|int4|int8|nvfp4|mxfp4"
          + "|mxfp8|[2-8]bit");

  public static ModelTag of(String tag) {
    int colon = tag.indexOf(':');
    int dash = tag.lastIndexOf('-');
    if (colon < 0 || dash < colon) {
      return new ModelTag(tag, null);
    }
    String last = tag.substring(dash + 1).toLowerCase(Locale.ROOT);
    return QUANT.matcher(last).matches()
        ? new ModelTag(tag.substring(0, dash), last)
        : new ModelTag(tag, null);
  }

  /** Another quantization of the same model (both tags name one). */
  public boolean otherQuantizationOf(ModelTag o) {
    return quantization != null
        && o.quantization != null
        && model.equals(o.model)
        && !quantization.equals(o.quantization);
  }
}
