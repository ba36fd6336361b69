package lenet.engine.nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.TensorSpec;

/** Model states and batches for the engine's tests. */
final class States {
    private States() {}

    /** Xavier weights (times {@code gain}), and every bias, batch-norm weight and running statistic random too, so none is 0 or 1. */
    static ModelState random(ModelSpec spec, Random rng, double gain) {
        ModelState fresh = spec.initialState(rng, gain);
        Map<String, NdArray> arrays = new LinkedHashMap<>(fresh.all());
        for (TensorSpec t : spec.parameters()) {
            boolean ones = t.fill() == TensorSpec.Fill.ONES;
            if (t.fill() != TensorSpec.Fill.XAVIER) arrays.put(t.name(), uniform(t, rng, ones ? 0.5 : -0.2, ones ? 1.5 : 0.2));
        }
        for (TensorSpec t : spec.buffers()) {
            if (t.name().endsWith(".running_mean")) arrays.put(t.name(), uniform(t, rng, -0.3, 0.3));
            if (t.name().endsWith(".running_var")) arrays.put(t.name(), uniform(t, rng, 0.5, 2));
        }
        return ModelState.of(spec, arrays);
    }

    private static NdArray uniform(TensorSpec t, Random rng, double lo, double hi) {
        float[] v = new float[t.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return new NdArray(t.shape(), v);
    }

    /** n inputs of spec's shape, uniform in [0, 1) as pixels / 255 are. */
    static float[] images(Random rng, ModelSpec spec, int n) {
        float[] x = new float[n * spec.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
        return x;
    }

    static int[] labels(Random rng, int n) {
        return rng.ints(n, 0, 10).toArray();
    }
}
