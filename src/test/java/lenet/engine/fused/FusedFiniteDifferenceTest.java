package lenet.engine.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused engine against a plain double-precision forward pass ({@link ReferenceLeNet}), on its
 * own (independently of the ND4J engine and of PyTorch), for all four networks:
 *
 * <ul>
 *   <li>its logits within 1e-5 relative + 1e-5 of the largest logit of the double ones;
 *   <li>its gradients (float) against central differences of the double loss,
 *       (loss(p + eps) - loss(p - eps)) / 2 eps with eps = 1e-6: for each of the ten arrays its three
 *       largest entries and three random ones, within 1e-4 relative + 1e-7 absolute.
 * </ul>
 *
 * In double, eps = 1e-6 leaves rounding of about 1e-10 and truncation of about 1e-12, and moves
 * a pre-activation by at most 1e-6, so it rarely crosses a ReLU's or a max pooling's kink; what is
 * left is the float engine's own rounding (a few 1e-6 relative).
 */
class FusedFiniteDifferenceTest {
    private static final double EPS = 1e-6;

    private static FusedLeNet engine(String activation, String pooling, Map<String, float[]> params) {
        return new FusedLeNet(FusedLeNet.Activation.valueOf(activation), FusedLeNet.Pooling.valueOf(pooling), params, null, 0, 0, 2);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void logitsMatchAPlainDoubleForwardPass(String activation, String pooling) {
        Random rng = new Random(31);
        int n = 21;
        float[] x = FusedVsReferenceTest.images(rng, n);
        Map<String, float[]> params = FusedDeterminismTest.randomParams(32);
        ReferenceLeNet reference = new ReferenceLeNet(activation, pooling, params);
        float[] z;
        try (FusedLeNet net = engine(activation, pooling, params)) {
            z = net.logits(x, n);
        }
        float[] expected = new float[n * 10];
        for (int i = 0; i < n; i++) {
            double[] zi = reference.logits(x, i);
            for (int k = 0; k < 10; k++) expected[i * 10 + k] = (float) zi[k];
        }
        // A logit is a sum of terms of either sign, so float rounding is relative to the terms' size,
        // which the largest logit stands for, not to the logit itself.
        Close.assertAllClose(activation + "/" + pooling + " logits", expected, z, 1e-5, 1e-5 * Close.maxAbs(expected));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void gradientsMatchCentralDifferencesOfTheLoss(String activation, String pooling) {
        Random rng = new Random(21);
        int n = 3;
        float[] x = FusedVsReferenceTest.images(rng, n);
        int[] y = {4, 0, 9};
        Map<String, float[]> params = FusedDeterminismTest.randomParams(22);
        ReferenceLeNet reference = new ReferenceLeNet(activation, pooling, params);
        Map<String, float[]> analytic;
        try (FusedLeNet net = engine(activation, pooling, params)) {
            analytic = net.gradients(x, y, n).gradients();
        }
        for (String name : Params.NAMES) {
            float[] g = analytic.get(name);
            assertTrue(Close.maxAbs(g) > 0, "d" + name + " is not all zero");
            for (int e : entries(g, rng)) {
                double numeric = (reference.moved(name, e, EPS).loss(x, y, n) - reference.moved(name, e, -EPS).loss(x, y, n)) / (2 * EPS);
                assertEquals(numeric, g[e], 1e-4 * Math.abs(numeric) + 1e-7, activation + "/" + pooling + " d" + name + "[" + e + "]");
            }
        }
    }

    /** The three largest entries by size and three random ones. */
    private static int[] entries(float[] g, Random rng) {
        int[] largest = IntStream.range(0, g.length).boxed().sorted(Comparator.comparingDouble(i -> -Math.abs(g[i])))
                .limit(3).mapToInt(Integer::intValue).toArray();
        int[] all = Arrays.copyOf(largest, 6);
        for (int k = 3; k < 6; k++) all[k] = rng.nextInt(g.length);
        return all;
    }
}
