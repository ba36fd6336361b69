package lenet.engine.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import lenet.nn.LeNet;
import lenet.nn.Param;
import lenet.nn.SoftmaxCrossEntropy;
import lenet.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fused engine against the ND4J engine ({@code lenet.nn.LeNet} + {@code lenet.optim.Sgd}, as the
 * trainer runs them) from the same weights, on the same batches, for all four networks: several
 * steps with momentum and weight decay, on batch sizes that leave partial tiles, with 1 and 2 threads.
 *
 * <p>Tolerances (float rounding: the engines sum in different orders, and the differences grow
 * step by step): each step's loss within 1e-5 relative and the same count of right answers; after
 * each step every parameter within 4e-6 absolute of ND4J's (measured after 6 steps: up to 1.7e-6
 * with the sigmoid at lr 0.5, up to 9e-8 with ReLU at lr 0.1); the logits of the final weights
 * within 1e-5 relative + 1e-5 absolute.
 */
class FusedVsNd4jTest {
    private static final double MOMENTUM = 0.9, WEIGHT_DECAY = 1e-4;
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

    /** The initial arrays of a new ND4J LeNet (Xavier-uniform weights times the recipe's gain) with small random biases. */
    static Map<String, float[]> initialParams(LeNet.Activation activation, long seed) {
        Random rng = new Random(seed);
        LeNet net = LeNet.create(activation, LeNet.Pooling.AVG, rng, activation == LeNet.Activation.SIGMOID ? 4 : 1);
        Map<String, float[]> arrays = new LinkedHashMap<>();
        for (Param p : net.params()) {
            float[] a = p.value().dup('c').data().asFloat();
            if (p.name().endsWith(".bias")) for (int i = 0; i < a.length; i++) a[i] = (rng.nextFloat() - 0.5f) * 0.2f;
            arrays.put(p.name(), a);
        }
        return arrays;
    }

    private static LeNet nd4jNet(LeNet.Activation activation, LeNet.Pooling pooling, Map<String, float[]> params) {
        Map<String, INDArray> arrays = new HashMap<>();
        LeNet.PARAM_SHAPES.forEach((name, shape) -> arrays.put(name, Nd4j.create(params.get(name), shape, 'c')));
        LeNet net = LeNet.fromArrays(activation, pooling, arrays);
        net.skipInputGradient(); // as the trainer runs it
        return net;
    }

    private static float[] values(LeNet net, String name) {
        for (Param p : net.params()) if (p.name().equals(name)) return p.value().dup('c').data().asFloat();
        throw new IllegalArgumentException(name);
    }

    @ParameterizedTest(name = "{0} + {1}, batch {2}, {3} threads")
    @CsvSource({"SIGMOID, AVG, 100, 2", "SIGMOID, MAX, 100, 2", "RELU, AVG, 100, 2", "RELU, MAX, 100, 2",
                "SIGMOID, AVG, 37, 1", "RELU, MAX, 37, 1", "SIGMOID, MAX, 256, 2", "RELU, AVG, 1, 2"})
    void stepsMatchTheNd4jEngine(LeNet.Activation activation, LeNet.Pooling pooling, int batch, int threads) {
        Random rng = new Random(batch * 7L + threads);
        Map<String, float[]> init = initialParams(activation, 3);
        double lr = activation == LeNet.Activation.SIGMOID ? 0.5 : 0.1;
        LeNet reference = nd4jNet(activation, pooling, init);
        Sgd sgd = new Sgd(reference.paramBlock(), MOMENTUM, WEIGHT_DECAY);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        double worst = 0;
        try (FusedLeNet fused = new FusedLeNet(FusedLeNet.Activation.valueOf(activation.name()), FusedLeNet.Pooling.valueOf(pooling.name()),
                init, null, MOMENTUM, WEIGHT_DECAY, threads)) {
            for (int step = 0; step < STEPS; step++) {
                float[] x = images(rng, batch);
                int[] y = labels(rng, batch);

                sgd.zeroGrad();
                double expectedLoss = loss.forward(reference.forward(Nd4j.create(x, new long[] {batch, 1, 28, 28}, 'c')), y);
                int expectedCorrect = loss.correct(y);
                reference.backward(loss.backward());
                sgd.step(lr);

                FusedLeNet.StepResult r = fused.step(x, y, batch, lr);
                assertEquals(expectedLoss, r.loss(), 1e-5 * expectedLoss, "loss of step " + step);
                assertEquals(expectedCorrect, r.correct(), "right answers in step " + step);
                Map<String, float[]> now = fused.params();
                for (String name : Params.NAMES) {
                    float[] expected = values(reference, name);
                    worst = Math.max(worst, Close.maxAbsDifference(expected, now.get(name)));
                    Close.assertAllClose(name + " after step " + step, expected, now.get(name), 0, 4e-6);
                }
            }
            float[] x = images(rng, batch);
            float[] expectedLogits = reference.forward(Nd4j.create(x, new long[] {batch, 1, 28, 28}, 'c')).dup('c').data().asFloat();
            Close.assertAllClose("logits", expectedLogits, fused.logits(x, batch), 1e-5, 1e-5);
        }
        System.out.printf("%s/%s batch %d, %d threads: largest parameter difference after %d steps %.2e%n",
                activation, pooling, batch, threads, STEPS, worst);
    }
}
