package lenet.engine.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Random;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.engine.reference.ReferenceEngine;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused engine against the reference engine (plain loops in double precision), both through
 * the engine interface as the trainer runs them, from the same state, on the same batches, for all
 * four networks: several steps with momentum and weight decay, on batch sizes that leave partial
 * tiles, with 1 and 2 threads.
 *
 * <p>Tolerances (float rounding, which grows step by step): each step's loss within 1e-5 relative
 * and the same count of right answers; after each step every parameter within 4e-6 absolute of the
 * reference's; the velocities within 1e-5 relative plus 4e-6 absolute or 2e-5 of their array's
 * largest entry (measured up to 2.0e-6 for conv1's with the sigmoid, max pooling and batch 256 at
 * lr 0.5); the logits of the final weights within 1e-5 relative + 1e-5 absolute.
 */
class FusedVsReferenceTest {
    private static final Sgd SGD = new Sgd(0.9, 1e-4);
    static final int STEPS = 6;

    /**
     * MNIST-like noise: most pixels dark (below 0.05), the rest uniform in [0, 1). Not exactly 0:
     * where a whole 5x5 window is 0, conv1's output is exactly its bias in both engines, and a ReLU
     * network whose bias crosses 0 a rounding error apart in the two engines would switch thousands
     * of units at once (a real but uninteresting difference).
     */
    static float[] images(Random rng, int n) {
        float[] x = new float[n * FusedLeNet.IMAGE_VALUES];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat() < 0.75f ? rng.nextFloat() * 0.05f : rng.nextFloat();
        return x;
    }

    static int[] labels(Random rng, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = rng.nextInt(10);
        return y;
    }

    /** A new network's state (Xavier-uniform weights times the recipe's gain) with small random biases. */
    static ModelState initialState(ModelSpec spec, long seed) {
        Random rng = new Random(seed);
        ModelState fresh = spec.initialState(rng, spec.architecture().activation() == Activation.SIGMOID ? 4 : 1);
        Map<String, NdArray> arrays = new java.util.LinkedHashMap<>(fresh.parameters());
        arrays.replaceAll((name, a) -> {
            if (!name.endsWith(".bias")) return a;
            float[] b = new float[a.data().length];
            for (int i = 0; i < b.length; i++) b[i] = (rng.nextFloat() - 0.5f) * 0.2f;
            return new NdArray(a.shape(), b);
        });
        return ModelState.of(spec, arrays);
    }

    @ParameterizedTest(name = "{0} + {1}, batch {2}, {3} threads")
    @CsvSource({"SIGMOID, AVG, 100, 2", "SIGMOID, MAX, 100, 2", "RELU, AVG, 100, 2", "RELU, MAX, 100, 2",
                "SIGMOID, AVG, 37, 1", "RELU, MAX, 37, 1", "SIGMOID, MAX, 256, 2", "RELU, AVG, 1, 2"})
    void stepsMatchTheReferenceEngine(Activation activation, Pooling pooling, int batch, int threads) {
        Random rng = new Random(batch * 7L + threads);
        ModelSpec spec = Architecture.lenet(activation, pooling, Norm.NONE).spec();
        ModelState init = initialState(spec, 3);
        double lr = activation == Activation.SIGMOID ? 0.5 : 0.1;
        FusedEngine engine = new FusedEngine(() -> threads);
        Trainable fused = engine.trainable(spec, init, SGD, Map.of());
        Trainable reference = new ReferenceEngine().trainable(spec, init, SGD, Map.of());
        double worst = 0;
        for (int step = 0; step < STEPS; step++) {
            float[] x = images(rng, batch);
            int[] y = labels(rng, batch);
            Trainable.StepResult expected = reference.step(x, y, batch, lr), actual = fused.step(x, y, batch, lr);
            assertEquals(expected.loss(), actual.loss(), 1e-5 * expected.loss(), "loss of step " + step);
            assertEquals(expected.correct(), actual.correct(), "right answers in step " + step);
            ModelState e = reference.state(), a = fused.state();
            for (String name : Params.NAMES) {
                worst = Math.max(worst, Close.maxAbsDifference(e.parameters().get(name).data(), a.parameters().get(name).data()));
                Close.assertAllClose(name + " after step " + step, e.parameters().get(name).data(), a.parameters().get(name).data(), 0, 4e-6);
            }
        }
        Map<String, NdArray> ev = reference.optimizerState(), av = fused.optimizerState();
        assertEquals(ev.keySet(), av.keySet());
        for (String key : ev.keySet()) {
            float[] e = ev.get(key).data();
            Close.assertAllClose(key, e, av.get(key).data(), 1e-5, Math.max(4e-6, 2e-5 * Close.maxAbs(e)));
        }
        float[] x = images(rng, batch);
        Close.assertAllClose("logits", reference.logits(x, batch), fused.logits(x, batch), 1e-5, 1e-5);
        Close.assertAllClose("a network's logits", new ReferenceEngine().network(spec, fused.state()).logits(x, batch),
                engine.network(spec, fused.state()).logits(x, batch), 1e-5, 1e-5);
        System.out.printf("%s/%s batch %d, %d threads: largest parameter difference after %d steps %.2e%n",
                activation, pooling, batch, threads, STEPS, worst);
    }
}
