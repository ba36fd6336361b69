package lenet.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import lenet.TestModels;
import lenet.data.Dataset;
import lenet.engine.Engines;
import lenet.engine.Trace;
import lenet.model.Activation;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Pooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The network run layer by layer on one image: the stages, their shapes, receptive fields and values. */
class FeatureMapsTest {
    private static final Dataset DATA = MadeUpDigits.of(10, 1);

    private static float[] image(int i) {
        byte[] b = Arrays.copyOfRange(DATA.pixels(), i * 784, (i + 1) * 784);
        float[] x = new float[784];
        for (int k = 0; k < 784; k++) x[k] = (b[k] & 0xFF) / 255f;
        return x;
    }

    private static Trace trace(Activation act, Pooling pool, float[] x) {
        ModelSpec spec = TestModels.architecture(act, pool).spec();
        ModelState state = TestModels.random(act, pool, 5);
        return Engines.forLookingInside().network(spec, state).trace(x);
    }

    @ParameterizedTest
    @CsvSource({"SIGMOID, AVG, sigmoid, average", "RELU, MAX, relu, max"})
    void stagesShapesAndReceptiveFields(Activation act, Pooling pool, String actName, String poolName) {
        List<FeatureMaps.Stage> stages = FeatureMaps.compute(TestModels.architecture(act, pool).spec(), trace(act, pool, image(3)));
        assertEquals(List.of("input", "conv1 + " + actName, "pool1 (" + poolName + " 2x2)", "conv2 + " + actName, "pool2 (" + poolName + " 2x2)"),
                stages.stream().map(FeatureMaps.Stage::name).toList());
        assertEquals(List.of(1, 6, 6, 16, 16), stages.stream().map(FeatureMaps.Stage::channels).toList());
        assertEquals(List.of(28, 28, 14, 10, 5), stages.stream().map(FeatureMaps.Stage::size).toList());
        // r = 1; conv 5x5: r = 1 + 4 = 5; pool 2x2 stride 2: r = 5 + 1 = 6, jump 2; conv 5x5: r = 6 + 4 * 2 = 14; pool: r = 14 + 1 * 2 = 16.
        assertEquals(List.of(1, 5, 6, 14, 16), stages.stream().map(FeatureMaps.Stage::receptiveField).toList());
        for (FeatureMaps.Stage s : stages) assertEquals(s.channels() * s.size() * s.size(), s.values().length, s.name());
    }

    @Test
    void theLastStageIsWhatTheNetworkFlattensOnEitherEngine() {
        float[] x = image(4);
        Trace t = trace(Activation.SIGMOID, Pooling.AVG, x);
        List<FeatureMaps.Stage> stages = FeatureMaps.compute(TestModels.architecture(Activation.SIGMOID, Pooling.AVG).spec(), t);
        assertArrayEquals(t.stage("flatten").values(), stages.get(4).values(), 0f);
        // and what ND4J's engine computes for the same weights, to float rounding
        ModelSpec spec = TestModels.architecture(Activation.SIGMOID, Pooling.AVG).spec();
        float[] nd4j = new lenet.engine.nd4j.Nd4jEngine().network(spec, TestModels.random(Activation.SIGMOID, Pooling.AVG, 5)).trace(x).stage("pool2").values();
        assertArrayEquals(nd4j, stages.get(4).values(), 1e-5f);
        assertArrayEquals(x, stages.get(0).values(), 0f);
    }

    @Test
    void sigmoidMapsLieBetweenZeroAndOne() {
        Trace t = trace(Activation.SIGMOID, Pooling.AVG, image(7));
        for (FeatureMaps.Stage s : FeatureMaps.compute(TestModels.architecture(Activation.SIGMOID, Pooling.AVG).spec(), t)) {
            assertTrue(s.min() >= 0 && s.max() <= 1 && s.max() > s.min(), s.name() + ": " + s.min() + ".." + s.max());
        }
    }
}
