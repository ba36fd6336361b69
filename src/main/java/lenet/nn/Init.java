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
        long receptive = 1;
        for (int i = 2; i < shape.length; i++) receptive *= shape[i];
        double fanIn = shape[1] * receptive;
        double fanOut = shape[0] * receptive;
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] w = new float[Math.toIntExact(shape[0] * shape[1] * receptive)];
        for (int i = 0; i < w.length; i++) w[i] = (float) ((rng.nextDouble() * 2 - 1) * a);
        return Nd4j.create(w, shape, 'c');
    }

    public static INDArray zeros(long... shape) {
        return Nd4j.zeros(DataType.FLOAT, shape);
    }
}
