package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.engine.reference.ReferenceEngine;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.model.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/** Training on the ND4J engine: resuming, the step's result, bad input refused, profiling, and which kernels the factory chose. */
class Nd4jTrainableTest {
    private static final Nd4jEngine ENGINE = new Nd4jEngine();
    private static final Sgd SGD = new Sgd(0.9, 1e-4);
    private static final int N = 8;

    @ParameterizedTest
    @EnumSource(Norm.class)
    void resumingFromSavedStateContinuesBitForBit(Norm norm) {
        ModelSpec spec = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, norm).spec();
        ModelState start = spec.initialState(new Random(51), 4);
        Random rng = new Random(52);
        float[][] batches = {States.images(rng, spec, N), States.images(rng, spec, N), States.images(rng, spec, N), States.images(rng, spec, N)};
        int[] labels = States.labels(rng, N);

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
        if (norm == Norm.BATCH) assertEquals(4f, uninterrupted.state().buffers().get("bn2.num_batches_tracked").data()[0]);
    }

    @Test
    void stepCountsTheSamplesWhoseLargestLogitIsTheLabel() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState state = spec.initialState(new Random(53), 4);
        float[] x = States.images(new Random(54), spec, N);
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
    void theTrainablesLogitsAreTheNetworksBitForBit() {
        ModelSpec spec = Architecture.lenet(Activation.RELU, Pooling.MAX, Norm.BATCH).spec();
        ModelState state = States.random(spec, new Random(59), 1);
        float[] x = States.images(new Random(60), spec, 1500); // two chunks
        assertArrayEquals(ENGINE.network(spec, state).logits(x, 1500), ENGINE.trainable(spec, state, SGD, Map.of()).logits(x, 1500));
    }

    @Test
    void aStepWhoseLossIsNotFiniteChangesNothing() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState state = spec.initialState(new Random(61), 4);
        Map<String, NdArray> huge = new LinkedHashMap<>(state.all());
        float[] w = new float[840];
        Arrays.fill(w, 3e37f); // finite, but 84 sigmoid outputs times it overflow: every logit is infinite
        huge.put("fc3.weight", new NdArray(new long[] {10, 84}, w));
        ModelState diverging = ModelState.of(spec, huge);
        Trainable t = ENGINE.trainable(spec, diverging, SGD, Map.of());

        Trainable.StepResult result = t.step(States.images(new Random(62), spec, N), States.labels(new Random(63), N), N, 0.1);

        assertFalse(Double.isFinite(result.loss()));
        assertEquals(diverging.all(), t.state().all(), "no update");
        for (NdArray v : t.optimizerState().values()) for (float f : v.data()) assertEquals(0f, f);
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
        Network network = ENGINE.network(spec, spec.initialState(new Random(57), 1));
        float[] x = States.images(new Random(58), spec, 4);

        assertThrows(IllegalArgumentException.class, () -> t.step(x, new int[] {0, 1, 2, 10}, 4, 0.1));
        assertThrows(IllegalArgumentException.class, () -> t.step(x, new int[] {0, 1, 2}, 4, 0.1));
        assertThrows(IllegalArgumentException.class, () -> t.step(x, new int[] {0, 1, 2, 3, 4}, 5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> network.logits(x, 3));
        assertThrows(IllegalArgumentException.class, () -> network.trace(x));
        ModelSpec bn = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, Norm.BATCH).spec();
        assertThrows(IllegalArgumentException.class, () -> ENGINE.trainable(bn, bn.initialState(new Random(1), 1), SGD, Map.of())
                .step(States.images(new Random(2), bn, 1), new int[] {3}, 1, 0.1), "batch norm cannot train on one sample");
    }

    @ParameterizedTest
    @EnumSource(Norm.class)
    void profileTimesEveryLayerAndChangesNothing(Norm norm) {
        ModelSpec spec = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, norm).spec();
        Trainable t = ENGINE.trainable(spec, spec.initialState(new Random(64), 4), SGD, Map.of());
        float[] x = States.images(new Random(65), spec, N);
        int[] y = States.labels(new Random(66), N);
        t.step(x, y, N, 0.1); // some momentum to keep
        ModelState before = t.state();
        Map<String, NdArray> velocity = t.optimizerState();

        Map<String, double[]> table = t.profile(x, y, N, 3);

        List<String> rows = List.copyOf(table.keySet());
        assertEquals(spec.layers().size() + 2, rows.size());
        assertEquals("1 " + spec.layers().get(0).describe(), rows.get(0));
        assertEquals("loss (softmax cross-entropy)", rows.get(rows.size() - 2));
        assertEquals("sgd step", rows.get(rows.size() - 1));
        for (double[] ms : table.values()) assertTrue(ms[0] >= 0 && ms[1] >= 0);
        assertEquals(before.all(), t.state().all());
        assertEquals(velocity, t.optimizerState());
    }

    /** What the one factory built: the vector-API classes where they apply, libnd4j's elsewhere. */
    @Test
    void theFactoryChoosesTheKernelsByTheJvmAndTheLayer() {
        ModelSpec lenet = Architecture.lenetDefault().spec(), bn = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, Norm.BATCH).spec();
        ModelState state = lenet.initialState(new Random(1), 1), bnState = bn.initialState(new Random(1), 1);

        List<Module> training = Model.of(lenet, state, DataType.FLOAT, true, false).layers;
        assertInstanceOf(SimdWeightGradient.class, training.get(0), "conv1 while training: weights only, on the vector API");
        assertInstanceOf(SimdSigmoid.class, training.get(1));
        assertEquals(Conv2d.class, training.get(3).getClass(), "conv2 needs its dInput");
        assertInstanceOf(Linear.class, training.get(7));

        List<Module> plain = Model.of(lenet, state, DataType.FLOAT, false, false).layers;
        assertInstanceOf(CorrelationWeightGradient.class, plain.get(0), "without the vector API");
        assertInstanceOf(Sigmoid.class, plain.get(1));

        List<Module> scoring = Model.of(lenet, state, DataType.FLOAT, true, true).layers;
        assertEquals(Conv2d.class, scoring.get(0).getClass(), "with the input gradient");

        List<Module> inDouble = Model.of(lenet, state, DataType.DOUBLE, true, false).layers;
        assertInstanceOf(CorrelationWeightGradient.class, inDouble.get(0), "the vector kernels are float32");
        assertInstanceOf(Sigmoid.class, inDouble.get(1));

        List<Module> withBatchNorm = Model.of(bn, bnState, DataType.FLOAT, true, false).layers;
        assertInstanceOf(SimdWeightGradient.class, withBatchNorm.get(0));
        assertInstanceOf(BatchNorm.class, withBatchNorm.get(1));
        assertInstanceOf(SimdSigmoid.class, withBatchNorm.get(2));
    }

    /**
     * An activation right after another must not write over its input, which the first one's backward
     * still reads: relu then sigmoid, trained on both engines, must agree. (Were the sigmoid in place,
     * the relu's kept output would become the sigmoid's, all positive, and every gradient would pass.)
     */
    @Test
    void anActivationAfterAnActivationLeavesItsInputAlone() {
        List<LayerSpec> layers = List.of(
                new LayerSpec.Conv2d("conv1", 1, 4, Window.square(5, 2, 0)),
                new LayerSpec.Act("act1", Activation.RELU),
                new LayerSpec.Act("act2", Activation.SIGMOID),
                new LayerSpec.Flatten("flatten"),
                new LayerSpec.Linear("fc1", 4 * 12 * 12, 10));
        ModelSpec spec = new ModelSpec(Architecture.lenetDefault(), new int[] {1, 28, 28}, 10, layers);
        ModelState state = States.random(spec, new Random(67), 1);
        float[] x = States.images(new Random(68), spec, N);
        int[] y = States.labels(new Random(69), N);
        Trainable nd4j = ENGINE.trainable(spec, state, SGD, Map.of()), reference = new ReferenceEngine().trainable(spec, state, SGD, Map.of());

        for (int step = 0; step < 2; step++) assertEquals(reference.step(x, y, N, 0.05).loss(), nd4j.step(x, y, N, 0.05).loss(), 1e-6, "loss of step " + (step + 1));

        Compare.assertAllClose("conv1.weight", reference.state().parameters().get("conv1.weight").data(), nd4j.state().parameters().get("conv1.weight").data(), 0, 1e-6);
    }
}
