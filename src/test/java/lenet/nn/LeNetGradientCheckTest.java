package lenet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backpropagation through the whole LeNet, loss included, against central finite differences in
 * double precision: a batch of 2 images 1x28x28, a sample of entries of each of the ten parameter
 * gradients and of dInput. Tolerance: 1e-6 relative ({@link GradCheck#TOLERANCE}).
 */
class LeNetGradientCheckTest {
    private static final int ENTRIES_PER_ARRAY = 8;

    /** The ten parameters in double: Xavier-uniform weights as LeNet.create draws them, small random biases (not zero, so dBias matters). */
    private static Map<String, INDArray> doubleParams(Random rng) {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        LeNet.PARAM_SHAPES.forEach((name, shape) -> arrays.put(name, shape.length == 1
                ? TestArrays.uniform(rng, -0.1, 0.1, shape)
                : Init.xavierUniform(rng, shape).castTo(DataType.DOUBLE)));
        return arrays;
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "RELU, MAX"})
    void wholeLeNetGradientsMatchFiniteDifferences(LeNet.Activation activation, LeNet.Pooling pooling) {
        Random rng = new Random(11);
        LeNet net = LeNet.fromArrays(activation, pooling, doubleParams(rng));
        INDArray x = TestArrays.uniform(rng, 0, 1, 2, 1, LeNet.IMAGE_SIZE, LeNet.IMAGE_SIZE);
        int[] labels = {3, 7};
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

        loss.forward(net.forward(x), labels);
        INDArray dInput = net.backward(loss.backward());

        DoubleSupplier f = () -> loss.forward(net.forward(x), labels);
        List<Param> params = net.params();
        assertEquals(List.copyOf(LeNet.PARAM_SHAPES.keySet()), params.stream().map(Param::name).toList());
        for (Param p : params) {
            INDArray analytic = p.grad().dup();
            GradCheck.assertGradient(activation + "/" + pooling + " d" + p.name(), analytic, f, p.value(),
                    GradCheck.sampleIndices(p.value(), ENTRIES_PER_ARRAY, rng));
        }
        GradCheck.assertGradient(activation + "/" + pooling + " dInput", dInput, f, x,
                GradCheck.sampleIndices(x, ENTRIES_PER_ARRAY, rng));
    }
}
