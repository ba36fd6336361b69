package lenet.model;

import java.util.Random;

/** Weight initialisation, in plain Java (the same numbers whichever engine then runs the model). */
public final class Init {
    private Init() {}

    /**
     * Xavier (Glorot) uniform, as PyTorch's {@code nn.init.xavier_uniform_} times {@code gain}: every
     * weight drawn from U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)), where a conv weight
     * [OC, C, KH, KW] has fanIn = C*KH*KW and fanOut = OC*KH*KW, and a linear weight [out, in] has
     * fanIn = in, fanOut = out. With gain 1 the variance of activations and gradients stays roughly
     * equal from layer to layer for units whose slope at 0 is 1 (tanh). The logistic sigmoid's slope
     * at 0 is 1/4, so Glorot and Bengio (2010) advise 4 times the bound for it: with gain 1 a sigmoid
     * LeNet's signal and gradients shrink about fourfold at every layer, and it sits at 10% accuracy
     * for several epochs before it learns.
     *
     * <p>Values are drawn in row-major order, each {@code (float) ((rng.nextDouble() * 2 - 1) * a)}.
     */
    public static float[] xavierUniform(Random rng, double gain, long... shape) {
        if (shape.length < 2) throw new IllegalArgumentException("Xavier needs a weight of rank 2 or more, got rank " + shape.length);
        long receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        double fanIn = shape[1] * receptive;
        double fanOut = shape[0] * receptive;
        double a = gain * Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[Math.toIntExact(shape[0] * shape[1] * receptive)];
        for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
        return w;
    }
}
