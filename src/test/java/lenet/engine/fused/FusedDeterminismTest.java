package lenet.engine.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused engine repeats itself: the same steps give the same bits run after run and in a JVM
 * that only interprets (so a resumed run, whose first steps run before the JIT has compiled
 * anything, matches an uninterrupted one); an image's logits do not depend on the batch around it
 * or on the thread count; and a run continued from saved parameters and momentum is the run that
 * never stopped.
 */
class FusedDeterminismTest {
    /** Weights like a fresh network's (uniform within Xavier-like bounds), small biases. */
    static Map<String, float[]> randomParams(long seed) {
        Random rng = new Random(seed);
        Map<String, float[]> p = new LinkedHashMap<>();
        for (int i = 0; i < Params.NAMES.size(); i++) {
            int[] shape = Params.SHAPES.get(i);
            float[] a = new float[Params.size(i)];
            int fanIn = a.length / shape[0];
            float bound = shape.length == 1 ? 0.1f : (float) Math.sqrt(6.0 / (fanIn + shape[0])) * 2;
            for (int k = 0; k < a.length; k++) a[k] = (rng.nextFloat() * 2 - 1) * bound;
            p.put(Params.NAMES.get(i), a);
        }
        return p;
    }

    private static FusedLeNet engine(String activation, String pooling, Map<String, float[]> params, Map<String, float[]> momentum, int threads) {
        return new FusedLeNet(FusedLeNet.Activation.valueOf(activation), FusedLeNet.Pooling.valueOf(pooling), params, momentum, 0.9, 1e-4, threads);
    }

    /** Losses, right answers and the final parameters and momentum of {@code steps} steps, as one string of hex bits. */
    private static String run(String activation, String pooling, int threads, int batch, int steps) {
        return run(activation, pooling, threads, batch, steps, true);
    }

    private static String run(String activation, String pooling, int threads, int batch, int steps, boolean logits) {
        Random rng = new Random(5);
        StringBuilder out = new StringBuilder();
        try (FusedLeNet net = engine(activation, pooling, randomParams(4), null, threads)) {
            for (int s = 0; s < steps; s++) {
                FusedLeNet.StepResult r = net.step(FusedVsReferenceTest.images(rng, batch), FusedVsReferenceTest.labels(rng, batch), batch, 0.3);
                out.append(Long.toHexString(Double.doubleToRawLongBits(r.loss()))).append(' ').append(r.correct()).append(' ');
            }
            for (float[] a : net.params().values()) out.append(Integer.toHexString(Arrays.hashCode(a))).append(' ');
            for (float[] a : net.momentum().values()) out.append(Integer.toHexString(Arrays.hashCode(a))).append(' ');
            if (logits) out.append(Integer.toHexString(Arrays.hashCode(net.logits(FusedVsReferenceTest.images(rng, 2), 2))));
        }
        return out.toString().trim();
    }

    @ParameterizedTest(name = "{0} + {1}, {2} threads")
    @CsvSource({"SIGMOID, AVG, 1", "SIGMOID, MAX, 2", "RELU, AVG, 2", "RELU, MAX, 3"})
    void twoRunsOfTheSameStepsGiveTheSameBits(String activation, String pooling, int threads) {
        assertEquals(run(activation, pooling, threads, 70, 4), run(activation, pooling, threads, 70, 4));
    }

    /** The thread count is part of the recipe: another count sums in another order, a rounding apart. */
    @Test
    void theThreadCountChangesTheSummingOrderOnly() {
        assertNotEquals(run("SIGMOID", "AVG", 1, 70, 2), run("SIGMOID", "AVG", 2, 70, 2));
    }

    /** The same bits whatever the JIT has compiled: an interpreting JVM (-Xint) gets what this one gets. */
    @Test
    void anInterpretingJvmComputesTheSameBits() throws Exception {
        String here = "";
        for (int i = 0; i < 30; i++) here = interpretedRun(); // compiled by now
        assertEquals(here, InterpretingJvm.output(FusedDeterminismTest.class));
    }

    /**
     * A step of two images on 2 threads (two tiles, summed across threads) with the sigmoid and max
     * pooling's masks, and a step of one image with ReLU and average pooling: every kernel (the
     * forward ones are inference's too), kept small because an interpreter runs the vector API's
     * operations lane by lane, thousands of times slower (a tile takes some ten seconds).
     */
    private static String interpretedRun() {
        return run("SIGMOID", "MAX", 2, 2, 1, false) + " | " + run("RELU", "AVG", 1, 1, 1, false);
    }

    /** For {@link #anInterpretingJvmComputesTheSameBits}: the same computation in the child JVM. */
    public static void main(String[] args) {
        System.out.println(interpretedRun());
    }

    @Test
    void anImagesLogitsDoNotDependOnItsBatchOrTheThreadCount() {
        Random rng = new Random(8);
        float[] images = FusedVsReferenceTest.images(rng, 37);
        Map<String, float[]> params = randomParams(9);
        float[] together;
        try (FusedLeNet net = engine("SIGMOID", "MAX", params, null, 3)) {
            together = net.logits(images, 37);
        }
        try (FusedLeNet net = engine("SIGMOID", "MAX", params, null, 1)) {
            for (int i : new int[] {0, 15, 16, 17, 36}) {
                float[] alone = net.logits(Arrays.copyOfRange(images, i * 784, (i + 1) * 784), 1);
                assertArrayEquals(Arrays.copyOfRange(together, i * 10, i * 10 + 10), alone, 0f, "image " + i);
            }
        }
    }

    /** Stopping after step 3 and starting a new engine from the saved parameters and momentum gives the uninterrupted run's bits. */
    @Test
    void aRunResumedFromItsParametersAndMomentumIsTheUninterruptedRun() {
        Random data = new Random(12);
        float[][] x = new float[6][];
        int[][] y = new int[6][];
        for (int s = 0; s < 6; s++) {
            x[s] = FusedVsReferenceTest.images(data, 50);
            y[s] = FusedVsReferenceTest.labels(data, 50);
        }
        Map<String, float[]> uninterrupted, resumed;
        try (FusedLeNet net = engine("RELU", "AVG", randomParams(13), null, 2)) {
            for (int s = 0; s < 6; s++) net.step(x[s], y[s], 50, 0.1);
            uninterrupted = net.params();
        }
        Map<String, float[]> savedParams, savedMomentum;
        try (FusedLeNet net = engine("RELU", "AVG", randomParams(13), null, 2)) {
            for (int s = 0; s < 3; s++) net.step(x[s], y[s], 50, 0.1);
            savedParams = net.params();
            savedMomentum = net.momentum();
        }
        try (FusedLeNet net = engine("RELU", "AVG", savedParams, savedMomentum, 2)) {
            for (int s = 3; s < 6; s++) net.step(x[s], y[s], 50, 0.1);
            resumed = net.params();
        }
        for (String name : Params.NAMES) assertArrayEquals(uninterrupted.get(name), resumed.get(name), 0f, name);
    }

    @Test
    void theEngineKeepsCopiesAndGivesCopies() {
        Map<String, float[]> params = randomParams(1);
        float[] before = params.get("fc1.weight").clone();
        try (FusedLeNet net = engine("SIGMOID", "AVG", params, null, 1)) {
            net.step(FusedVsReferenceTest.images(new Random(2), 4), new int[] {1, 2, 3, 4}, 4, 0.5);
            assertArrayEquals(before, params.get("fc1.weight"), 0f, "the caller's array is not written");
            net.params().get("fc1.weight")[0] = 1e9f;
            assertTrue(net.params().get("fc1.weight")[0] != 1e9f, "the returned array is a copy");
        }
    }

    @Test
    void badArgumentsAreRefusedInWords() {
        Map<String, float[]> params = randomParams(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            Map<String, float[]> wrong = new LinkedHashMap<>(params);
            wrong.put("conv2.weight", new float[10]);
            engine("SIGMOID", "AVG", wrong, null, 1);
        });
        assertEquals("parameters: conv2.weight has 10 values, its shape [16, 6, 5, 5] needs 2400", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> {
            Map<String, float[]> missing = new LinkedHashMap<>(params);
            missing.remove("fc3.bias");
            engine("SIGMOID", "AVG", missing, null, 1);
        });
        assertEquals("parameters: missing array fc3.bias", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> engine("SIGMOID", "AVG", params, Map.of("fc9.weight", new float[1]), 1));
        assertEquals("momentum: unknown array fc9.weight; LeNet has " + Params.NAMES, e.getMessage());
        try (FusedLeNet net = engine("SIGMOID", "AVG", params, null, 2)) {
            e = assertThrows(IllegalArgumentException.class, () -> net.step(new float[784], new int[] {10}, 1, 0.1));
            assertEquals("label 10 of image 0 is outside 0..9", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.logits(new float[784], 2));
            assertEquals("2 images need 1568 values, got 784", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> net.logits(new float[784], 0));
            assertEquals("a batch needs at least one image, got 0", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> engine("SIGMOID", "AVG", params, null, 0));
    }
}
