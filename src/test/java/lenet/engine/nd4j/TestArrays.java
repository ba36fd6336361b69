package lenet.engine.nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small builders for the engine's tests: random arrays, and tapes whose gradients land in arrays the test holds. */
final class TestArrays {
    private TestArrays() {}

    /** Standard normal entries in the given type. */
    static INDArray randn(Random rng, DataType type, long... shape) {
        double[] v = new double[Math.toIntExact(size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return Nd4j.create(v, shape, 'c').castTo(type);
    }

    /** Uniform entries in [lo, hi) in the given type. */
    static INDArray uniform(Random rng, DataType type, double lo, double hi, long... shape) {
        double[] v = new double[Math.toIntExact(size(shape))];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        return Nd4j.create(v, shape, 'c').castTo(type);
    }

    /** Zero arrays shaped like each of {@code params}: where a tape adds their gradients. */
    static Map<String, INDArray> zerosLike(Map<String, INDArray> params) {
        Map<String, INDArray> grads = new LinkedHashMap<>();
        params.forEach((name, p) -> grads.put(name, p.ulike().assign(0)));
        return grads;
    }

    /** A tape adding gradients into {@code grads} (by name). */
    static Tape tape(Mode mode, int n, Map<String, INDArray> grads) {
        return new Tape(mode, n, name -> {
            INDArray g = grads.get(name);
            if (g == null) throw new IllegalArgumentException("the test holds no gradient for " + name);
            return g;
        });
    }

    static long size(long... shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    static long[] shape(int n, int... perSample) {
        long[] s = new long[perSample.length + 1];
        s[0] = n;
        for (int d = 0; d < perSample.length; d++) s[d + 1] = perSample[d];
        return s;
    }
}
