package lenet.engine.reference;

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

/**
 * The reference engine against PyTorch 1.13 (float32), from the same initial arrays and batch of 8:
 * LeNet in its sigmoid/avg and relu/max forms, and d2l's batch-normalised LeNet in the same two
 * forms (forward in train and eval mode, loss, every gradient, and every parameter and running
 * statistic after 3 SGD steps with momentum 0.9 and weight decay 1e-4 at lr 0.1).
 *
 * <p>The reference computes in double, PyTorch in float, so the differences are PyTorch's float
 * rounding. Tolerances (in brackets the largest difference measured over the four networks):
 * <ul>
 *   <li>logits 5e-6 absolute [1.3e-6, relu/max with batch norm in train mode; 2e-7 without batch norm];
 *       loss 1e-6 [2.1e-7]</li>
 *   <li>each gradient 2e-5 of its array's largest entry plus 1e-5 of the entry itself [5.5e-6 of the
 *       largest entry; 2.6e-6 without batch norm]. Gradients range from ~1e-5 (conv1 under four
 *       sigmoids) to ~1, so each array is judged on its own scale.</li>
 *   <li>the bias of a conv or dense layer that feeds a batch norm: in train mode it shifts every value
 *       of a channel and the batch mean takes it away again, so its gradient is exactly zero. The
 *       reference gives 0 within 1e-12 [5e-15]; PyTorch's float rounding leaves up to 5e-6 of the
 *       layer's weight gradient scale [4.5e-6], which is all the test asks of it.</li>
 *   <li>parameters and running statistics after 3 steps 1e-6 absolute plus 1e-6 relative [4e-7, a
 *       running variance near 1.2 and conv1.weight; 1.5e-8 without batch norm]; num_batches_tracked exactly</li>
 * </ul>
 */
class PyTorchGoldenTest {
    private static final double LR = 0.1, MOMENTUM = 0.9, WEIGHT_DECAY = 1e-4;
    private static final int STEPS = 3;

    private static final ReferenceEngine ENGINE = new ReferenceEngine();

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void trainModeLogitsAndLossMatchPyTorch(Activation activation, Pooling pooling, Norm norm) {
        Golden golden = Golden.load(activation, pooling, norm);
        Model model = Model.of(golden.spec(), golden.initialState());

        double[] logits = model.logits(new Context(Mode.TRAIN, golden.batch()), Model.toDouble(golden.input()));
        double loss = SoftmaxCrossEntropy.forward(logits, golden.labels(), golden.batch(), 10).value();

        Close.assertAllClose("logits", Close.toDouble(golden.get("logits").data()), logits, 0, 5e-6);
        assertEquals(golden.get("loss").data()[0], loss, 1e-6, "loss");
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void evalModeLogitsMatchPyTorch(Activation activation, Pooling pooling, Norm norm) {
        Golden golden = Golden.load(activation, pooling, norm);
        // Without batch norm the two modes compute the same; with it, eval uses the running statistics.
        String expected = norm == Norm.BATCH ? "logits_eval" : "logits";

        float[] logits = ENGINE.network(golden.spec(), golden.initialState()).logits(golden.input(), golden.batch());

        Close.assertAllClose(expected, golden.get(expected).data(), logits, 0, 5e-6);
    }

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}")
    @CsvSource({"SIGMOID, AVG, NONE", "RELU, MAX, NONE", "SIGMOID, AVG, BATCH", "RELU, MAX, BATCH"})
    void allGradientsMatchPyTorch(Activation activation, Pooling pooling, Norm norm) {
        Golden golden = Golden.load(activation, pooling, norm);
        Model model = Model.of(golden.spec(), golden.initialState());
        Context ctx = new Context(Mode.TRAIN, golden.batch());

        double[] logits = model.logits(ctx, Model.toDouble(golden.input()));
        model.backward(ctx, SoftmaxCrossEntropy.backward(SoftmaxCrossEntropy.forward(logits, golden.labels(), golden.batch(), 10)));

        List<LayerSpec> layers = golden.spec().layers();
        for (int k = 0; k < layers.size(); k++) {
            LayerSpec layer = layers.get(k);
            if (layer.parameters().isEmpty()) continue;
            double[] weightScale = Close.toDouble(golden.get("grad." + layer.name() + ".weight").data());
            boolean feedsBatchNorm = k + 1 < layers.size() && layers.get(k + 1) instanceof LayerSpec.BatchNorm && !(layer instanceof LayerSpec.BatchNorm);
            for (TensorSpec p : layer.parameters()) {
                double[] expected = Close.toDouble(golden.get("grad." + p.name()).data());
                double[] actual = ctx.grads().get(p.name());
                if (feedsBatchNorm && p.name().endsWith(".bias")) {
                    Close.assertAllClose("d" + p.name() + " (zero: the batch norm after it subtracts the batch mean)", new double[actual.length], actual, 0, 1e-12);
                    Close.assertAllClose("PyTorch's d" + p.name() + " (float rounding around zero)", actual, expected, 0, 5e-6 * Close.maxAbs(weightScale));
                } else {
                    Close.assertAllClose("d" + p.name(), expected, actual, 1e-5, 2e-5 * Close.maxAbs(expected));
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
            Close.assertAllClose(e.getKey() + " after " + STEPS + " steps", e.getValue().data(), got.data(), 1e-6, 1e-6);
        }
        if (norm == Norm.BATCH) {
            Close.assertAllClose("eval-mode logits after " + STEPS + " steps", golden.get("step3.logits_eval").data(),
                    trainable.logits(golden.input(), golden.batch()), 0, 5e-6);
        }
    }

    @Test
    void batchCountIsReadFromPyTorchsInt64AndCountsSteps() {
        Golden golden = Golden.load(Activation.SIGMOID, Pooling.AVG, Norm.BATCH);
        assertArrayEquals(new long[0], golden.get("bn1.num_batches_tracked").shape(), "a scalar, as in a state_dict");
        assertEquals(7f, golden.get("bn1.num_batches_tracked").data()[0]);
        Trainable trainable = ENGINE.trainable(golden.spec(), golden.initialState(), new Sgd(MOMENTUM, WEIGHT_DECAY), Map.of());

        for (int step = 0; step < STEPS; step++) trainable.step(golden.input(), golden.labels(), golden.batch(), LR);

        for (String bn : new String[] {"bn1", "bn2", "bn3", "bn4"}) {
            assertEquals(golden.get("step3." + bn + ".num_batches_tracked").data()[0], trainable.state().buffers().get(bn + ".num_batches_tracked").data()[0], bn);
            assertEquals(10f, trainable.state().buffers().get(bn + ".num_batches_tracked").data()[0], bn);
        }
    }
}
