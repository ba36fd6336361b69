package lenet.engine.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Training on the reference engine: resuming from saved state, the step's result, and bad state refused. */
class ReferenceTrainableTest {
    private static final ReferenceEngine ENGINE = new ReferenceEngine();
    private static final Sgd SGD = new Sgd(0.9, 1e-4);
    private static final int N = 4;

    private static float[] images(Random rng, ModelSpec spec) {
        float[] x = new float[N * spec.inputSize()];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextFloat();
        return x;
    }

    @ParameterizedTest
    @EnumSource(Norm.class)
    void resumingFromSavedStateContinuesBitForBit(Norm norm) {
        ModelSpec spec = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, norm).spec();
        ModelState start = spec.initialState(new Random(51), 4);
        Random rng = new Random(52);
        float[][] batches = {images(rng, spec), images(rng, spec), images(rng, spec), images(rng, spec)};
        int[] labels = {1, 2, 3, 4};

        Trainable uninterrupted = ENGINE.trainable(spec, start, SGD, Map.of());
        for (float[] batch : batches) uninterrupted.step(batch, labels, N, 0.1);
        Trainable first = ENGINE.trainable(spec, start, SGD, Map.of());
        for (int k = 0; k < 2; k++) first.step(batches[k], labels, N, 0.1);
        Trainable resumed = ENGINE.trainable(spec, first.state(), SGD, first.optimizerState());
        for (int k = 2; k < 4; k++) resumed.step(batches[k], labels, N, 0.1);

        for (Map.Entry<String, NdArray> e : uninterrupted.state().all().entrySet()) {
            assertArrayEquals(e.getValue().data(), resumed.state().all().get(e.getKey()).data(), e.getKey());
        }
        assertEquals(uninterrupted.optimizerState(), resumed.optimizerState());
        assertNotEquals(start.parameters().get("conv1.weight"), uninterrupted.state().parameters().get("conv1.weight"), "training moved the weights");
    }

    @Test
    void stepCountsTheSamplesWhoseLargestLogitIsTheLabel() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState state = spec.initialState(new Random(53), 4);
        float[] x = images(new Random(54), spec);
        float[] logits = ENGINE.network(spec, state).logits(x, N);
        int[] labels = new int[N];
        for (int s = 0; s < N; s++) {
            for (int k = 1; k < 10; k++) if (logits[s * 10 + k] > logits[s * 10 + labels[s]]) labels[s] = k;
        }
        labels[0] = (labels[0] + 1) % 10; // one wrong

        Trainable.StepResult result = ENGINE.trainable(spec, state, SGD, Map.of()).step(x, labels, N, 0.1);

        assertEquals(N - 1, result.correct());
        assertTrue(result.loss() > 0);
    }

    @Test
    void optimizerStateKeysAndShapesAreChecked() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState state = spec.initialState(new Random(55), 1);
        Map<String, NdArray> velocity = new HashMap<>(ENGINE.trainable(spec, state, SGD, Map.of()).optimizerState());
        assertEquals(10, velocity.size());
        assertTrue(velocity.containsKey("momentum.fc3.bias"));

        velocity.put("momentum.fc9.bias", new NdArray(new long[] {10}, new float[10]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ENGINE.trainable(spec, state, SGD, velocity));
        assertTrue(e.getMessage().contains("momentum.fc9.bias"), e.getMessage());

        velocity.remove("momentum.fc9.bias");
        velocity.put("momentum.fc3.bias", new NdArray(new long[] {9}, new float[9]));
        e = assertThrows(IllegalArgumentException.class, () -> ENGINE.trainable(spec, state, SGD, velocity));
        assertTrue(e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void aStateWithoutTheRunningStatisticsIsRefusedNamingThem() {
        ModelSpec withBatchNorm = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, Norm.BATCH).spec();
        ModelState state = withBatchNorm.initialState(new Random(56), 1);
        ModelState noBuffers = new ModelState(state.parameters(), Map.of());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ENGINE.network(withBatchNorm, noBuffers));
        assertTrue(e.getMessage().contains("bn1.running_mean"), e.getMessage());
    }

    @Test
    void badBatchesAreRefused() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        Trainable t = ENGINE.trainable(spec, spec.initialState(new Random(57), 1), SGD, Map.of());
        float[] x = images(new Random(58), spec);

        assertThrows(IllegalArgumentException.class, () -> t.step(x, new int[] {0, 1, 2, 10}, N, 0.1));
        assertThrows(IllegalArgumentException.class, () -> t.step(x, new int[] {0, 1, 2}, N, 0.1));
        assertThrows(IllegalArgumentException.class, () -> t.step(x, new int[] {0, 1, 2, 3, 4}, N + 1, 0.1));
    }

    @Test
    void batchNormLeNetIsD2lsShapes() {
        // d2l's BNLeNet: conv1 without padding, so 28 -> 24 -> 12 -> 8 -> 4, and fc1 takes 16 * 4 * 4 = 256.
        ModelSpec spec = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, Norm.BATCH).spec();
        Map<String, int[]> shapes = new HashMap<>();
        for (ModelSpec.Stage s : spec.stages()) shapes.put(s.name(), s.outputShape());

        assertArrayEquals(new int[] {6, 24, 24}, shapes.get("bn1"));
        assertArrayEquals(new int[] {6, 12, 12}, shapes.get("pool1"));
        assertArrayEquals(new int[] {16, 8, 8}, shapes.get("bn2"));
        assertArrayEquals(new int[] {16, 4, 4}, shapes.get("pool2"));
        assertArrayEquals(new int[] {256}, shapes.get("flatten"));
        assertArrayEquals(new int[] {120}, shapes.get("bn3"));
        assertArrayEquals(new int[] {84}, shapes.get("bn4"));
        assertEquals(44426 + 2 * (6 + 16 + 120 + 84), spec.parameterCount());
    }
}
