package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.model.TensorSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backpropagation through the whole LeNet on the ND4J engine, loss included, against central finite
 * differences in double precision: the four activation/pooling forms, and d2l's batch-normalised
 * LeNet in train mode (batch statistics) and eval mode (running statistics). A batch of 2 images,
 * 8 entries of each parameter gradient (its first, its last and random ones) and of dInput.
 * Tolerance: 1e-6 relative ({@link GradCheck#TOLERANCE}).
 */
class LeNetGradientCheckTest {
    private static final int N = 2, ENTRIES_PER_ARRAY = 8;

    @ParameterizedTest(name = "{0} + {1} pooling, norm {2}, {3} mode")
    @CsvSource({
            "SIGMOID, AVG, NONE, TRAIN", "SIGMOID, MAX, NONE, TRAIN", "RELU, AVG, NONE, TRAIN", "RELU, MAX, NONE, TRAIN",
            "SIGMOID, AVG, BATCH, TRAIN", "RELU, MAX, BATCH, TRAIN", "SIGMOID, AVG, BATCH, EVAL"})
    void wholeLeNetGradientsMatchFiniteDifferences(Activation activation, Pooling pooling, Norm norm, Mode mode) {
        Random rng = new Random(11);
        ModelSpec spec = Architecture.lenet(activation, pooling, norm).spec();
        // In double the vector kernels do not apply; the input gradient is wanted here, so conv1 is the full one.
        Model model = Model.of(spec, States.random(spec, rng, activation == Activation.SIGMOID ? 4 : 1), DataType.DOUBLE, false, true);
        INDArray x = TestArrays.uniform(rng, DataType.DOUBLE, 0, 1, N, 1, 28, 28);
        int[] labels = {3, 7};
        DoubleSupplier loss = () -> SoftmaxCrossEntropy.forward(model.forward(new Tape(mode, N, model.params::grad), x), labels).value();

        model.params.grads().assign(0);
        Tape tape = new Tape(mode, N, model.params::grad);
        INDArray dInput = model.backward(tape, SoftmaxCrossEntropy.backward(SoftmaxCrossEntropy.forward(model.forward(tape, x), labels)));

        List<LayerSpec> layers = spec.layers();
        assertEquals(spec.parameters().stream().map(TensorSpec::name).toList(), model.params.names());
        for (int k = 0; k < layers.size(); k++) {
            for (TensorSpec p : layers.get(k).parameters()) {
                INDArray value = model.params.value(p.name()), grad = model.params.grad(p.name()).dup();
                long[] at = GradCheck.sampleIndices(value, ENTRIES_PER_ARRAY, rng);
                String what = activation + "/" + pooling + "/" + norm + " " + mode + " d" + p.name();
                if (mode == Mode.TRAIN && p.name().endsWith(".bias") && Backprop.feedsBatchNorm(layers, k)) {
                    // The batch mean takes a bias before batch norm away again: the gradient is zero, and
                    // finite differences see only the loss's rounding (which reaches a few tens of ulps).
                    Compare.assertAllClose(what + " (zero)", new double[(int) grad.length()], Compare.flat(grad), 0, 1e-12);
                    Compare.assertAllClose("numerical " + what, new double[at.length], GradCheck.numericalGradient(loss, value, at),
                            0, 100 * Math.ulp(loss.getAsDouble()) / GradCheck.EPS);
                } else {
                    GradCheck.assertGradient(what, grad, loss, value, at);
                }
            }
        }
        GradCheck.assertGradient(activation + "/" + pooling + "/" + norm + " " + mode + " dInput", dInput, loss, x, GradCheck.sampleIndices(x, ENTRIES_PER_ARRAY, rng));
    }
}
