package lenet.engine;

import java.util.Map;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;

/**
 * A model being trained by minibatch SGD: it owns its weights, buffers and optimizer state, and
 * changes them in place, one step at a time. Not for concurrent use.
 */
public interface Trainable {
    ModelSpec spec();

    /** What one step did: the batch's mean loss before the update and how many samples the network got right. */
    record StepResult(double loss, int correct) {}

    /**
     * One training step in train mode: forward, mean softmax cross-entropy against {@code labels},
     * backward, and an SGD update with rate {@code lr} (see {@link Sgd}). {@code input} holds
     * {@code n} samples as for {@link Network#logits}.
     */
    StepResult step(float[] input, int[] labels, int n, double lr);

    /** The logits of {@code n} samples in eval mode with the current weights (for scoring during training). */
    float[] logits(float[] input, int n);

    /** A copy of the current parameters and buffers. */
    ModelState state();

    /** A copy of the optimizer's state, keyed as checkpoints store it ({@code momentum.conv1.weight}, ...). */
    Map<String, NdArray> optimizerState();

    /**
     * Median milliseconds of each layer's forward and backward over {@code reps} steps (for
     * {@code lenet bench}), keyed by a label such as {@code 1 Conv2d(1->6, 5x5, pad 2)}; empty when the
     * engine cannot time its layers separately. The columns are {@link #profileColumns()}.
     */
    default Map<String, double[]> profile(float[] input, int[] labels, int n, int reps) {
        return Map.of();
    }

    /**
     * What the numbers of each {@link #profile} row are: {@code fwd ms, bwd ms} for an engine that
     * runs layer by layer; a fused engine reports its kernels instead (ms, GFLOP/s, share of peak).
     */
    default java.util.List<String> profileColumns() {
        return java.util.List.of("fwd ms", "bwd ms");
    }
}
