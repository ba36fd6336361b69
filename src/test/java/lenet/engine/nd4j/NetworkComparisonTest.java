package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import lenet.engine.Network;
import lenet.engine.Sgd;
import lenet.engine.Trace;
import lenet.engine.Trainable;
import lenet.engine.reference.ReferenceEngine;
import lenet.engine.reference.ReferenceLayers;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.model.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Whole networks on the ND4J engine (float32, the kernels training runs) against the reference
 * engine (double, plain loops) from the same arrays and a batch of 16: LeNet in all four
 * activation/pooling forms, with and without batch norm. Eval-mode logits and every stage of a
 * trace; train-mode logits, loss and every gradient; and the parameters, velocities and running
 * statistics after 3 SGD steps with momentum 0.9 and weight decay 1e-4 at lr 0.1.
 *
 * <p>Tolerances (the differences are float rounding): logits and stages 1e-5 absolute, plus 1e-5
 * relative for stages, whose values reach ~10; loss 1e-6; each gradient 1e-5 of itself plus 2e-5 of
 * its array's largest entry (a bias gradient's absolute part at least 1e-6 of the sum of its terms'
 * sizes; the bias before a train-mode batch norm, exactly zero in the reference, within that); after
 * 3 steps parameters 1e-6 absolute, running statistics 1e-6 plus 1e-5 relative, velocities 1e-5
 * relative plus 2e-5 of their array's largest entry (a bias before a batch norm: 1e-5 absolute, its
 * gradient being weight decay and rounding alone). Measured over the eight networks: eval logits
 * 3.6e-7, train-mode logits 2.7e-6 (2.8e-7 without batch norm), loss 3.1e-7, gradients 7.2e-6 of their
 * scale, parameters 4.3e-7, running statistics 3.6e-7, velocities 5.3e-6 of their scale.
 *
 * <p>The weights are plain Xavier (gain 1). With the sigmoid's gain of 4 and max pooling, the larger
 * steps bring two values of one pooling window within float rounding of each other, and each
 * engine then routes that window's gradient to a different cell, as its precision says it should.
 */
class NetworkComparisonTest {
    private static final int N = 16, STEPS = 3;
    private static final double LR = 0.1;
    private static final Sgd SGD = new Sgd(0.9, 1e-4);

    private record Case(ModelSpec spec, ModelState state, float[] input, int[] labels) {}

    private static Case of(Activation activation, Pooling pooling, Norm norm) {
        Random rng = new Random(21);
        ModelSpec spec = Architecture.lenet(activation, pooling, norm).spec();
        return new Case(spec, States.random(spec, rng, 1), States.images(rng, spec, N), States.labels(rng, N));
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "SIGMOID, MAX, NONE", "RELU, AVG, NONE", "RELU, MAX, NONE",
            "SIGMOID, AVG, BATCH", "SIGMOID, MAX, BATCH", "RELU, AVG, BATCH", "RELU, MAX, BATCH"})
    void evalLogitsAndEveryTracedStageMatchTheReference(Activation activation, Pooling pooling, Norm norm) {
        Case c = of(activation, pooling, norm);
        Network nd4j = new Nd4jEngine().network(c.spec(), c.state());
        Network reference = new ReferenceEngine().network(c.spec(), c.state());

        Compare.assertAllClose("eval logits", reference.logits(c.input(), N), nd4j.logits(c.input(), N), 0, 1e-5);

        float[] one = java.util.Arrays.copyOfRange(c.input(), 3 * c.spec().inputSize(), 4 * c.spec().inputSize());
        Trace expected = reference.trace(one), actual = nd4j.trace(one);
        assertEquals(expected.stages().size(), actual.stages().size());
        for (int s = 0; s < expected.stages().size(); s++) {
            Trace.StageOutput e = expected.stages().get(s), a = actual.stages().get(s);
            assertEquals(e.name(), a.name());
            assertArrayEquals(e.shape(), a.shape(), e.name());
            Compare.assertAllClose("stage " + e.name(), e.values(), a.values(), 1e-5, 1e-5);
        }
        assertArrayEquals(nd4j.logits(one, 1), actual.logits(), "the trace's last stage is logits() of the same sample, bit for bit");
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "SIGMOID, MAX, NONE", "RELU, AVG, NONE", "RELU, MAX, NONE",
            "SIGMOID, AVG, BATCH", "SIGMOID, MAX, BATCH", "RELU, AVG, BATCH", "RELU, MAX, BATCH"})
    void trainModeLogitsLossAndGradientsMatchTheReference(Activation activation, Pooling pooling, Norm norm) {
        Case c = of(activation, pooling, norm);
        Backprop nd4j = Backprop.run(Model.of(c.spec(), c.state(), DataType.FLOAT, Simd.AVAILABLE, false), c.input(), c.labels(), N);
        ReferenceLayers.ModelResult reference = ReferenceLayers.model(c.spec(), c.state(), true, c.input(), c.labels(), N);

        Compare.assertAllClose("train logits", reference.logits(), Compare.toDouble(nd4j.logits()), 0, 1e-5);
        assertEquals(reference.loss(), nd4j.loss(), 1e-6, "loss");
        List<LayerSpec> layers = c.spec().layers();
        for (int k = 0; k < layers.size(); k++) {
            for (TensorSpec p : layers.get(k).parameters()) {
                double[] expected = reference.grads().get(p.name()), actual = nd4j.grads().get(p.name());
                boolean bias = p.name().endsWith(".bias");
                double atol = Math.max(2e-5 * Compare.maxAbs(expected), bias ? 1e-6 * nd4j.termSizes()[k] : 0);
                if (bias && Backprop.feedsBatchNorm(layers, k)) {
                    Compare.assertAllClose("reference d" + p.name() + " (zero: the batch norm after it subtracts the batch mean)", new double[expected.length], expected, 0, 1e-12);
                }
                Compare.assertAllClose("d" + p.name(), expected, actual, 1e-5, atol);
            }
        }
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "SIGMOID, MAX, NONE", "RELU, AVG, NONE", "RELU, MAX, NONE",
            "SIGMOID, AVG, BATCH", "SIGMOID, MAX, BATCH", "RELU, AVG, BATCH", "RELU, MAX, BATCH"})
    void threeSgdStepsMatchTheReference(Activation activation, Pooling pooling, Norm norm) {
        Case c = of(activation, pooling, norm);
        Trainable nd4j = new Nd4jEngine().trainable(c.spec(), c.state(), SGD, Map.of());
        Trainable reference = new ReferenceEngine().trainable(c.spec(), c.state(), SGD, Map.of());

        for (int step = 0; step < STEPS; step++) {
            Trainable.StepResult expected = reference.step(c.input(), c.labels(), N, LR), actual = nd4j.step(c.input(), c.labels(), N, LR);
            assertEquals(expected.loss(), actual.loss(), 1e-6, "loss of step " + (step + 1));
            assertEquals(expected.correct(), actual.correct(), "correct in step " + (step + 1));
        }

        assertStatesClose(c.spec(), reference.state(), nd4j.state(), reference.optimizerState(), nd4j.optimizerState());
    }

    /** The engine with and without its vector-API kernels: the same network within float rounding. */
    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "SIGMOID, AVG, BATCH"})
    void theVectorApiKernelsMatchLibnd4jsInAWholeNetwork(Activation activation, Pooling pooling, Norm norm) {
        assumeTrue(Simd.AVAILABLE, "the tests run with the vector module (surefire's argLine)");
        Case c = of(activation, pooling, norm);
        Trainable vector = new Nd4jEngine(true).trainable(c.spec(), c.state(), SGD, Map.of());
        Trainable plain = new Nd4jEngine(false).trainable(c.spec(), c.state(), SGD, Map.of());

        for (int step = 0; step < STEPS; step++) {
            assertEquals(plain.step(c.input(), c.labels(), N, LR).loss(), vector.step(c.input(), c.labels(), N, LR).loss(), 1e-6, "loss of step " + (step + 1));
        }

        assertStatesClose(c.spec(), plain.state(), vector.state(), plain.optimizerState(), vector.optimizerState());
        Compare.assertAllClose("eval logits", plain.logits(c.input(), N), vector.logits(c.input(), N), 0, 1e-5);
    }

    private static void assertStatesClose(ModelSpec spec, ModelState expected, ModelState actual, Map<String, NdArray> expectedVelocity, Map<String, NdArray> actualVelocity) {
        expected.parameters().forEach((name, e) -> Compare.assertAllClose(name + " after " + STEPS + " steps", e.data(), actual.parameters().get(name).data(), 0, 1e-6));
        expected.buffers().forEach((name, e) -> Compare.assertAllClose(name + " after " + STEPS + " steps", e.data(), actual.buffers().get(name).data(), 1e-5, 1e-6));
        assertEquals(expectedVelocity.keySet(), actualVelocity.keySet());
        List<LayerSpec> layers = spec.layers();
        for (int k = 0; k < layers.size(); k++) {
            for (TensorSpec p : layers.get(k).parameters()) {
                String key = Sgd.STATE_PREFIX + p.name();
                float[] e = expectedVelocity.get(key).data(), a = actualVelocity.get(key).data();
                if (p.name().endsWith(".bias") && Backprop.feedsBatchNorm(layers, k)) {
                    // Its gradient is weight decay alone plus rounding (~1e-6 a step): a velocity of ~5e-5 known to 1e-5.
                    Compare.assertAllClose(key, e, a, 0, 1e-5);
                } else {
                    Compare.assertAllClose(key, e, a, 1e-5, Math.max(1e-6, 2e-5 * Compare.maxAbs(Compare.toDouble(e))));
                }
            }
        }
    }
}
