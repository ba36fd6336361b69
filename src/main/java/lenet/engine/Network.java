package lenet.engine;

import lenet.model.ModelSpec;

/**
 * A model ready to compute, in eval mode (batch norm uses its running statistics). Its weights are
 * read-only here and every call keeps its own intermediate arrays, so one network serves concurrent
 * callers.
 */
public interface Network {
    ModelSpec spec();

    /**
     * The logits of {@code n} samples: {@code input} holds them one after another, each
     * {@code spec().inputSize()} values in [C, H, W] row-major order (pixel / 255 for images);
     * the result holds {@code n * spec().classes()} values, sample after sample.
     */
    float[] logits(float[] input, int n);

    /** Every stage's output for one sample (see {@link Trace}): what the network computes, layer by layer. */
    Trace trace(float[] input);
}
