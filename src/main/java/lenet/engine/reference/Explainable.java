package lenet.engine.reference;

import java.util.List;

/** A layer that can show how it computed one number of its output (conv, pooling, linear). */
interface Explainable {
    /**
     * Cell {@code index} of the output for ONE sample {@code x} (the layer's input, [C, H, W] or [F]),
     * computed by the code forward runs; {@code then} gives the elementwise steps that follow.
     */
    Explanation explain(double[] x, int[] index, String inputStage, Then then);

    /** The steps after a layer: the elementwise layers that follow it, applied to {@code value} of {@code feature}. */
    @FunctionalInterface
    interface Then {
        List<Explanation.Step> after(int feature, double value);
    }
}
