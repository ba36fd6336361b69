package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import lenet.engine.Golden;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.model.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ND4J engine against PyTorch 1.13, both in float32, from the same initial arrays and batch of 8:
 * LeNet in its sigmoid/avg and relu/max forms, and d2l's batch-normalised LeNet in the same two forms
 * (forward in train and eval mode, loss, every gradient, and every parameter and running statistic
 * after 3 SGD steps with momentum 0.9 and weight decay 1e-4 at lr 0.1). Gradients come from the model
 * as training builds it (conv1 computes no input gradient, on the vector-API kernel).
 *
 * <p>Both sides round in float, so the differences are float rounding. Tolerances (in brackets the
 * largest difference measured over the four networks):
 * <ul>
 *   <li>logits 1e-5 absolute [1.1e-6, relu/max with batch norm in train mode; 1.8e-7 without batch norm];
 *       loss 1e-6 [2.4e-7; equal without batch norm]</li>
 *   <li>each gradient 1e-5 of itself plus 1e-5 of its array's largest entry [5.0e-6 of the largest
 *       entry, bn2.bias; 2.9e-6 without batch norm]. Gradients range
 *       from ~1e-5 (conv1 under four sigmoids) to ~1, so each array is judged on its own scale. A
 *       bias's gradient is a sum of dOut over the batch that can cancel far below its terms (batch
 *       norm's bias: 0.003 from terms whose sizes add up to ~1), so its absolute part is at least
 *       1e-6 of the sum of the terms' sizes.</li>
 *   <li>the bias of a conv or dense layer that feeds a batch norm: in train mode the batch mean takes
 *       it away again, so its true gradient is zero; what both sides leave is the rounding of a sum of
 *       N*OH*OW float terms, held to 1e-6 of the sum of their sizes (the largest over the channels)
 *       [1.0e-7 of it; PyTorch's own: 1.8e-7]</li>
 *   <li>parameters and running statistics after 3 steps 1e-6 absolute plus 1e-6 relative [4.3e-7;
 *       1.5e-8 without batch norm]; eval-mode logits after them 1e-5 [4.8e-7];
 *       num_batches_tracked exactly</li>
 * </ul>
 */
class PyTorchGoldenTest {
    private static final double LR = 0.1, MOMENTUM = 0.9, WEIGHT_DECAY = 1e-4;
    private static final int STEPS = 3;
    private static final Nd4jEngine ENGINE = new Nd4jEngine();

    /** The model as training builds it, holding the fixture's initial arrays. */
    private static Model trainingModel(Golden golden) {
        return Model.of(golden.spec(), golden.initialState(), DataType.FLOAT, Simd.AVAILABLE, false);
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void trainModeLogitsAndLossMatchPyTorch(Activation activation, Pooling pooling, Norm norm) {
        Golden golden = Golden.load(activation, pooling, norm);
        Model model = trainingModel(golden);
        try (MemoryWorkspace ws = Arena.open("TEST")) {
            INDArray logits = model.forward(new Tape(Mode.TRAIN, golden.batch(), model.params::grad),
                    Arena.batch(golden.input(), 0, golden.batch(), golden.spec().inputShape()));
            double loss = SoftmaxCrossEntropy.forward(logits, golden.labels()).value();

            Compare.assertAllClose("logits", golden.get("logits").data(), Arena.floats(logits), 0, 1e-5);
            assertEquals(golden.get("loss").data()[0], loss, 1e-6, "loss");
        }
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void evalModeLogitsMatchPyTorch(Activation activation, Pooling pooling, Norm norm) {
        Golden golden = Golden.load(activation, pooling, norm);
        // Without batch norm the two modes compute the same; with it, eval uses the running statistics.
        String expected = norm == Norm.BATCH ? "logits_eval" : "logits";

        float[] logits = ENGINE.network(golden.spec(), golden.initialState()).logits(golden.input(), golden.batch());

        Compare.assertAllClose(expected, golden.get(expected).data(), logits, 0, 1e-5);
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void allGradientsMatchPyTorch(Activation activation, Pooling pooling, Norm norm) {
        Golden golden = Golden.load(activation, pooling, norm);
        List<LayerSpec> layers = golden.spec().layers();
        Backprop backprop = Backprop.run(trainingModel(golden), golden.input(), golden.labels(), golden.batch());

        for (int k = 0; k < layers.size(); k++) {
            LayerSpec layer = layers.get(k);
            for (TensorSpec p : layer.parameters()) {
                double[] expected = Compare.toDouble(golden.get("grad." + p.name()).data());
                double[] actual = backprop.grads().get(p.name());
                if (Backprop.feedsBatchNorm(layers, k) && p.name().endsWith(".bias")) {
                    // dbias = sum of dOut over a channel, which is exactly zero (the batch norm's dx sums to
                    // zero over a channel); what is left is the rounding of a sum of N*OH*OW float terms.
                    double rounding = 1e-6 * backprop.termSizes()[k];
                    Compare.assertAllClose("d" + p.name() + " (zero but for rounding: the batch norm after it subtracts the batch mean)",
                            new double[actual.length], actual, 0, rounding);
                    Compare.assertAllClose("PyTorch's d" + p.name() + " (the same rounding)", new double[expected.length], expected, 0, rounding);
                } else {
                    // A bias's gradient is a sum of dOut over the batch (and positions), which may cancel far below its terms.
                    double atol = Math.max(1e-5 * Compare.maxAbs(expected), p.name().endsWith(".bias") ? 1e-6 * backprop.termSizes()[k] : 0);
                    Compare.assertAllClose("d" + p.name(), expected, actual, 1e-5, atol);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void threeSgdStepsMatchPyTorch(Activation activation, Pooling pooling, Norm norm) {
        Golden golden = Golden.load(activation, pooling, norm);
        Trainable trainable = ENGINE.trainable(golden.spec(), golden.initialState(), new Sgd(MOMENTUM, WEIGHT_DECAY), Map.of());

        double firstLoss = Double.NaN;
        for (int step = 0; step < STEPS; step++) {
            Trainable.StepResult result = trainable.step(golden.input(), golden.labels(), golden.batch(), LR);
            if (step == 0) firstLoss = result.loss();
        }

        assertEquals(golden.get("loss").data()[0], firstLoss, 1e-6, "the first step's loss");
        ModelState expected = golden.state("step3."), actual = trainable.state();
        for (Map.Entry<String, NdArray> e : expected.all().entrySet()) {
            NdArray got = actual.all().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey() + " shape");
            Compare.assertAllClose(e.getKey() + " after " + STEPS + " steps", e.getValue().data(), got.data(), 1e-6, 1e-6);
        }
        if (norm == Norm.BATCH) {
            Compare.assertAllClose("eval-mode logits after " + STEPS + " steps", golden.get("step3.logits_eval").data(),
                    trainable.logits(golden.input(), golden.batch()), 0, 1e-5);
        }
    }

    @Test
    void batchCountIsReadFromPyTorchsInt64AndCountsSteps() {
        Golden golden = Golden.load(Activation.SIGMOID, Pooling.AVG, Norm.BATCH);
        assertEquals(7f, golden.get("bn1.num_batches_tracked").data()[0]);
        Trainable trainable = ENGINE.trainable(golden.spec(), golden.initialState(), new Sgd(MOMENTUM, WEIGHT_DECAY), Map.of());

        for (int step = 0; step < STEPS; step++) trainable.step(golden.input(), golden.labels(), golden.batch(), LR);

        for (String bn : new String[] {"bn1", "bn2", "bn3", "bn4"}) {
            NdArray count = trainable.state().buffers().get(bn + ".num_batches_tracked");
            assertArrayEquals(new long[0], count.shape(), bn + ": a scalar, as in a state_dict");
            assertEquals(golden.get("step3." + bn + ".num_batches_tracked").data()[0], count.data()[0], bn);
            assertEquals(10f, count.data()[0], bn);
        }
    }
}
