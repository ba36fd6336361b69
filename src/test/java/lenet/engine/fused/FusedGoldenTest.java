package lenet.engine.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import lenet.io.NdArray;
import lenet.io.Npz;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fused engine against PyTorch 1.13 (the fixtures of {@code lenet.engine.nd4j.PyTorchGoldenTest}, made by
 * {@code src/test/resources/golden/make_lenet_golden.py}): logits, loss, all ten gradients and the
 * weights after 3 SGD steps with momentum and weight decay, for the sigmoid/avg and relu/max networks,
 * with 1 and 2 threads. The same tolerances as the ND4J engine's golden test: logits 1e-5 and loss
 * 1e-6 absolute; each gradient 1e-5 relative to its entry or to its array's largest entry; the
 * parameters after 3 steps 1e-6 absolute.
 */
class FusedGoldenTest {
    private static final double LR = 0.1, MOMENTUM = 0.9, WEIGHT_DECAY = 1e-4;

    static Map<String, NdArray> golden(String file) {
        Path path = Path.of("src/test/resources/golden", file);
        return Npz.read(path).arrays();
    }

    static Map<String, float[]> initialParams(Map<String, NdArray> golden) {
        Map<String, float[]> p = new LinkedHashMap<>();
        for (String name : Params.NAMES) {
            NdArray a = golden.get(name);
            assertNotNull(a, "fixture lacks " + name);
            p.put(name, a.data().clone());
        }
        return p;
    }

    static int[] labels(Map<String, NdArray> golden) {
        float[] f = golden.get("labels").data();
        int[] y = new int[f.length];
        for (int i = 0; i < f.length; i++) y[i] = (int) f[i];
        return y;
    }

    private static FusedLeNet engine(Map<String, NdArray> golden, String activation, String pooling, int threads) {
        return new FusedLeNet(FusedLeNet.Activation.valueOf(activation), FusedLeNet.Pooling.valueOf(pooling), initialParams(golden), null,
                MOMENTUM, WEIGHT_DECAY, threads);
    }

    @ParameterizedTest(name = "{0} + {1} pooling, {3} threads")
    @CsvSource({"SIGMOID, AVG, lenet_sigmoid_avg.npz, 1", "RELU, MAX, lenet_relu_max.npz, 1",
                "SIGMOID, AVG, lenet_sigmoid_avg.npz, 2", "RELU, MAX, lenet_relu_max.npz, 2"})
    void logitsLossAndGradientsMatchPyTorch(String activation, String pooling, String file, int threads) {
        Map<String, NdArray> golden = golden(file);
        float[] input = golden.get("input").data();
        int[] y = labels(golden);
        try (FusedLeNet net = engine(golden, activation, pooling, threads)) {
            Close.assertAllClose("logits", golden.get("logits").data(), net.logits(input, y.length), 0, 1e-5);
            FusedLeNet.Gradients g = net.gradients(input, y, y.length);
            assertEquals(golden.get("loss").data()[0], g.loss(), 1e-6, "loss");
            for (String name : Params.NAMES) {
                float[] expected = golden.get("grad." + name).data();
                double scale = Close.maxAbs(expected);
                Close.assertAllClose("d" + name, expected, g.gradients().get(name), 1e-5, 1e-5 * scale);
            }
        }
    }

    @ParameterizedTest(name = "{0} + {1} pooling, {3} threads")
    @CsvSource({"SIGMOID, AVG, lenet_sigmoid_avg.npz, 1", "RELU, MAX, lenet_relu_max.npz, 1",
                "SIGMOID, AVG, lenet_sigmoid_avg.npz, 2", "RELU, MAX, lenet_relu_max.npz, 2"})
    void threeSgdStepsWithMomentumAndWeightDecayMatchPyTorch(String activation, String pooling, String file, int threads) {
        Map<String, NdArray> golden = golden(file);
        float[] input = golden.get("input").data();
        int[] y = labels(golden);
        try (FusedLeNet net = engine(golden, activation, pooling, threads)) {
            for (int step = 0; step < 3; step++) net.step(input, y, y.length, LR);
            for (String name : Params.NAMES) {
                Close.assertAllClose(name + " after 3 steps", golden.get("step3." + name).data(), net.params().get(name), 0, 1e-6);
            }
        }
    }
}
