package lenet.nn;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Weight initialisation. */
public final class Init {
    private Init() {}

    /**
     * Xavier (Glorot) uniform, as PyTorch's {@code nn.init.xavier_uniform_}: every weight drawn from
     * U(-a, a) with a = sqrt(6 / (fanIn + fanOut)), where a conv weight [OC, C, KH, KW] has
     * fanIn = C*KH*KW and fanOut = OC*KH*KW, and a linear weight [out, in] has fanIn = in, fanOut = out.
     * This keeps the variance of activations and of gradients roughly equal from layer to layer.
     */
    public static INDArray xavierUniform(Random rng, long... shape) {
        return xavierUniform(rng, 1.0, shape);
    }

    /**
     * The same bound times {@code gain}. Glorot and Bengio (2010) derive a = sqrt(6 / (fanIn + fanOut))
     * for units whose slope at 0 is 1 (tanh); the logistic sigmoid's slope at 0 is 1/4, so they advise
     * 4 times that bound for it. With gain 1, a sigmoid LeNet's signal and gradients shrink about
     * fourfold at every layer, and it sits at 10% accuracy for several epochs before it learns.
     */
    public static INDArray xavierUniform(Random rng, double gain, long... shape) {
        long receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        double fanIn = shape[1] * receptive;
        double fanOut = shape[0] * receptive;
        double a = gain * Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[Math.toIntExact(shape[0] * shape[1] * receptive)];
        for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
        return Nd4j.create(w, shape, 'c');
    }

    public static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.FLOAT, shape);
    }
}
