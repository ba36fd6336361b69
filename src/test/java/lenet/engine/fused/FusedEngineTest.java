package lenet.engine.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import lenet.engine.Engines;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trace;
import lenet.engine.Trainable;
import lenet.engine.reference.ReferenceEngine;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import org.junit.jupiter.api.Test;

/** The fused engine behind the engine interface: what it runs, what Engines picks, resume through saved state, traces. */
class FusedEngineTest {
    private static final Sgd SGD = new Sgd(0.9, 1e-4);

    @Test
    void itRunsTheFourLeNetsWithoutBatchNormOnly() {
        FusedEngine engine = new FusedEngine(() -> 2);
        assertTrue(FusedEngine.available(), "the tests run with the vector module (surefire's argLine) on AVX2 or better");
        for (Activation a : Activation.values()) {
            for (Pooling p : Pooling.values()) {
                assertTrue(engine.supports(Architecture.lenet(a, p, Norm.NONE).spec()), a + "/" + p);
                assertFalse(engine.supports(Architecture.lenet(a, p, Norm.BATCH).spec()), a + "/" + p + " with batch norm");
            }
        }
        ModelSpec bn = Architecture.lenet(Activation.RELU, Pooling.MAX, Norm.BATCH).spec();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.trainable(bn, bn.initialState(new Random(1), 1), SGD, Map.of()));
        assertTrue(e.getMessage().startsWith("the fused engine does not run LeNet-5 (relu, max pool, batch norm)"), e.getMessage());
    }

    /** The choice measured in Engines (see its notes): fused for what it runs, ND4J for batch norm, the reference for a few images. */
    @Test
    void enginesPicksItForWhatItRuns() {
        ModelSpec plain = Architecture.lenetDefault().spec();
        ModelSpec bn = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, Norm.BATCH).spec();
        assertEquals("fused", Engines.forTraining(plain).name());
        assertEquals("fused", Engines.forScoring(plain, 10_000).name());
        assertEquals("reference", Engines.forScoring(plain, 10).name());
        assertEquals("nd4j", Engines.forTraining(bn).name());
        assertEquals("nd4j", Engines.forScoring(bn, 10_000).name());
        assertTrue(Engines.scoresWithoutNative(plain, 10_000));
        assertFalse(Engines.scoresWithoutNative(bn, 10_000));
        assertSame(Engines.named("fused"), Engines.forTraining(plain));
    }

    /** Stopping after step 3, saving state and velocities as a checkpoint holds them, and going on from them gives the uninterrupted run's bits. */
    @Test
    void aRunResumedFromItsSavedStateIsTheUninterruptedRun() {
        ModelSpec spec = Architecture.lenet(Activation.SIGMOID, Pooling.MAX, Norm.NONE).spec();
        ModelState init = FusedVsReferenceTest.initialState(spec, 13);
        Random data = new Random(12);
        float[][] x = new float[6][];
        int[][] y = new int[6][];
        for (int s = 0; s < 6; s++) {
            x[s] = FusedVsReferenceTest.images(data, 50);
            y[s] = FusedVsReferenceTest.labels(data, 50);
        }
        FusedEngine engine = new FusedEngine(() -> 2);
        Trainable whole = engine.trainable(spec, init, SGD, Map.of());
        double[] losses = new double[6];
        for (int s = 0; s < 6; s++) losses[s] = whole.step(x[s], y[s], 50, 0.3).loss();

        Trainable first = engine.trainable(spec, init, SGD, Map.of());
        for (int s = 0; s < 3; s++) first.step(x[s], y[s], 50, 0.3);
        Trainable resumed = engine.trainable(spec, ModelState.of(spec, first.state().all()), SGD, first.optimizerState());
        for (int s = 3; s < 6; s++) assertEquals(losses[s], resumed.step(x[s], y[s], 50, 0.3).loss(), 0, "loss of step " + s);

        whole.state().parameters().forEach((name, a) -> assertArrayEquals(a.data(), resumed.state().parameters().get(name).data(), 0f, name));
        whole.optimizerState().forEach((key, a) -> assertArrayEquals(a.data(), resumed.optimizerState().get(key).data(), 0f, key));
    }

    @Test
    void aDivergedStepChangesNothing() {
        ModelSpec spec = Architecture.lenet(Activation.RELU, Pooling.AVG, Norm.NONE).spec();
        Trainable t = new FusedEngine(() -> 2).trainable(spec, FusedVsReferenceTest.initialState(spec, 2), SGD, Map.of());
        float[] x = FusedVsReferenceTest.images(new Random(3), 20);
        int[] y = FusedVsReferenceTest.labels(new Random(3), 20);
        t.step(x, y, 20, 1e30);
        t.step(x, y, 20, 1e30);
        ModelState before = t.state();
        Trainable.StepResult r = t.step(x, y, 20, 1e30);
        if (!Double.isFinite(r.loss())) {
            before.parameters().forEach((name, a) -> assertArrayEquals(a.data(), t.state().parameters().get(name).data(), 0f, name));
        }
    }

    @Test
    void aTraceIsTheReferenceEnginesAndEndsInTheseLogits() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState state = FusedVsReferenceTest.initialState(spec, 5);
        float[] one = FusedVsReferenceTest.images(new Random(6), 1);
        Network net = new FusedEngine(() -> 2).network(spec, state);
        Trace trace = net.trace(one);
        assertEquals(spec.layers().size(), trace.stages().size());
        assertArrayEquals(new ReferenceEngine().network(spec, state).trace(one).logits(), trace.logits(), 0f);
        Close.assertAllClose("logits", trace.logits(), net.logits(one, 1), 1e-5, 1e-5);
    }

    @Test
    void badBatchesAndOptimizerStatesAreRefusedInWords() {
        ModelSpec spec = Architecture.lenetDefault().spec();
        ModelState state = spec.initialState(new Random(1), 1);
        FusedEngine engine = new FusedEngine(() -> 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> engine.trainable(spec, state, SGD, Map.of("momentum.fc9.weight", new NdArray(new long[] {1}, new float[1]))));
        assertEquals("optimizer state 'momentum.fc9.weight' belongs to no parameter of LeNet-5 (sigmoid, avg pool)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> engine.trainable(spec, state, SGD, Map.of("momentum.fc3.bias", new NdArray(new long[] {9}, new float[9]))));
        assertTrue(e.getMessage().startsWith("optimizer state 'momentum.fc3.bias' has shape [9], the parameter has [10]"), e.getMessage());
        Trainable t = engine.trainable(spec, state, SGD, Map.of());
        e = assertThrows(IllegalArgumentException.class, () -> t.step(new float[784], new int[] {1, 2}, 1, 0.1));
        assertEquals("2 labels for 1 samples", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.logits(new float[785], 1));
        assertEquals("785 input values for 1 samples of 784", e.getMessage());
    }
}
