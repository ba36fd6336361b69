package lenet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import lenet.optim.Sgd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LeNet against PyTorch 1.13 in float32, from the same initial weights and batch: logits, loss, all
 * ten gradients, and the weights after 3 SGD steps with momentum and weight decay.
 *
 * <p>Tolerances: logits 1e-5 and loss 1e-6 absolute; each gradient 1e-5 relative to its entry or to
 * the array's largest entry; parameters after 3 steps 1e-6 absolute. Measured differences are far
 * smaller (float rounding: logits ~2e-7, gradients ~2e-6 of their scale at most, parameters ~1e-8).
 *
 * <p>The fixtures {@code src/test/resources/golden/lenet_*.npz} and the script that made them,
 * {@code make_lenet_golden.py}, sit side by side; the test reads only the .npz files.
 */
class PyTorchGoldenTest {
    private static final double LR = 0.1, MOMENTUM = 0.9, WEIGHT_DECAY = 1e-4;
    private static final int STEPS = 3;

    /** The arrays of one fixture, keyed by the names the script saved them under. */
    private static Map<String, INDArray> load(String fileName) {
        URL url = PyTorchGoldenTest.class.getResource("/golden/" + fileName);
        assertNotNull(url, "missing test fixture golden/" + fileName
                + "; make it with /usr/bin/python3 src/test/resources/golden/make_lenet_golden.py");
        try {
            return Nd4j.createFromNpzFile(new File(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + url + ": " + e.getMessage(), e);
        }
    }

    /** LeNet holding the fixture's initial parameters (float32, PyTorch names and layouts). */
    private static LeNet lenetFrom(Map<String, INDArray> golden, LeNet.Activation activation, LeNet.Pooling pooling) {
        Map<String, INDArray> initial = new HashMap<>();
        for (Map.Entry<String, long[]> e : LeNet.PARAM_SHAPES.entrySet()) {
            INDArray a = golden.get(e.getKey());
            assertNotNull(a, "fixture lacks " + e.getKey());
            assertArrayEquals(e.getValue(), a.shape(), e.getKey() + " shape");
            initial.put(e.getKey(), a.dup('c'));
        }
        return LeNet.fromArrays(activation, pooling, initial);
    }

    private static int[] labels(Map<String, INDArray> golden) {
        return golden.get("labels").castTo(DataType.INT).toIntVector();
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG, lenet_sigmoid_avg.npz", "RELU, MAX, lenet_relu_max.npz"})
    void logitsAndLossMatchPyTorch(LeNet.Activation activation, LeNet.Pooling pooling, String file) {
        Map<String, INDArray> golden = load(file);
        LeNet net = lenetFrom(golden, activation, pooling);

        INDArray logits = net.forward(golden.get("input"));
        double loss = new SoftmaxCrossEntropy().forward(logits, labels(golden));

        Compare.assertAllClose("logits", golden.get("logits"), logits, 0, 1e-5);
        Compare.assertClose("loss", golden.get("loss").getDouble(0), loss, 0, 1e-6);
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG, lenet_sigmoid_avg.npz", "RELU, MAX, lenet_relu_max.npz"})
    void allTenGradientsMatchPyTorch(LeNet.Activation activation, LeNet.Pooling pooling, String file) {
        Map<String, INDArray> golden = load(file);
        LeNet net = lenetFrom(golden, activation, pooling);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

        loss.forward(net.forward(golden.get("input")), labels(golden));
        net.backward(loss.backward());

        for (Param p : net.params()) {
            INDArray expected = golden.get("grad." + p.name());
            // Gradients range from ~1e-5 (conv1 under four sigmoids) to ~1e-1 (fc3), so an absolute 1e-5
            // would pass a zero conv1 gradient: judge each entry on its own size or its array's largest.
            double scale = expected.amaxNumber().doubleValue();
            Compare.assertAllClose("d" + p.name(), expected, p.grad(), 1e-5, 1e-5 * scale);
        }
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG, lenet_sigmoid_avg.npz", "RELU, MAX, lenet_relu_max.npz"})
    void threeSgdStepsWithMomentumAndWeightDecayMatchPyTorch(LeNet.Activation activation, LeNet.Pooling pooling, String file) {
        Map<String, INDArray> golden = load(file);
        LeNet net = lenetFrom(golden, activation, pooling);
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        Sgd sgd = new Sgd(net.paramBlock(), MOMENTUM, WEIGHT_DECAY); // as training runs it

        for (int step = 0; step < STEPS; step++) {
            sgd.zeroGrad();
            loss.forward(net.forward(golden.get("input")), labels(golden));
            net.backward(loss.backward());
            sgd.step(LR);
        }

        for (Param p : net.params()) {
            INDArray expected = golden.get("step3." + p.name());
            Compare.assertAllClose(p.name() + " after " + STEPS + " steps", expected, p.value(), 0, 1e-6);
        }
    }
}
