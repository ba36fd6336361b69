package lenet.nn;

import lenet.model.Window;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every layer's backward against central finite differences, in double precision on tiny shapes,
 * checking every entry of dInput and of each parameter's gradient.
 *
 * <p>A layer's output is a tensor, so the checks differentiate the scalar loss = sum(output * R) for a
 * fixed random R of the output's shape: dLoss/dOutput = R, which is what backward is given.
 * Tolerance: 1e-6 relative ({@link GradCheck#TOLERANCE}).
 */
class LayerGradientCheckTest {
    private final Random rng = new Random(2024);

    private INDArray randn(long... shape) {
        return TestArrays.randn(rng, DataType.DOUBLE, shape);
    }

    /**
     * Runs forward and backward once with dOut = R, then checks dInput and every parameter's
     * gradient entry by entry against finite differences of sum(layer(x) * R).
     */
    private void checkLayer(Layer layer, INDArray x) {
        INDArray r = randn(layer.forward(x).shape());
        INDArray dInput = layer.backward(r);
        List<INDArray> paramGrads = new ArrayList<>();
        for (Param p : layer.params()) paramGrads.add(p.grad().dup());

        DoubleSupplier loss = () -> layer.forward(x).mul(r).sumNumber().doubleValue();
        assertGradient(layer.describe() + " dInput", dInput, loss, x);
        for (int i = 0; i < paramGrads.size(); i++) {
            Param p = layer.params().get(i);
            assertGradient(layer.describe() + " d" + p.name(), paramGrads.get(i), loss, p.value());
        }
    }

    private static void assertGradient(String what, INDArray analytic, DoubleSupplier loss, INDArray x) {
        GradCheck.assertGradient(what, analytic, loss, x, GradCheck.allIndices(x));
    }

    private Conv2d conv(int c, int oc, Window window, boolean withBias) {
        return new Conv2d("conv", c, oc, window, randn(oc, c, window.kernelH(), window.kernelW()), withBias ? randn(oc) : null);
    }

    @Test
    void conv2dPadding1() {
        checkLayer(conv(2, 3, Window.square(3, 1, 1), true), randn(2, 2, 5, 5));
    }

    @Test
    void conv2dStride2Padding1() {
        checkLayer(conv(3, 2, Window.square(3, 2, 1), true), randn(2, 3, 6, 6));
    }

    @Test
    void conv2dPadding2SeveralChannelsInAndOut() {
        checkLayer(conv(3, 4, Window.square(5, 1, 2), true), randn(1, 3, 5, 5));
    }

    @Test
    void conv1x1() {
        checkLayer(conv(4, 3, Window.square(1, 1, 0), true), randn(2, 4, 3, 3));
    }

    @Test
    void conv2dAsymmetricKernelStrideAndPadding() {
        checkLayer(conv(2, 3, new Window(3, 2, 2, 1, 1, 0), true), randn(2, 2, 7, 5));
    }

    @Test
    void conv2dWithoutBias() {
        Conv2d conv = conv(2, 2, Window.square(3, 1, 1), false);
        assertEquals(List.of("conv.weight"), conv.params().stream().map(Param::name).toList());
        checkLayer(conv, randn(1, 2, 4, 4));
    }

    /** Distinct values at least 0.01 apart, shuffled, so every window's maximum is unique and stays so under +-eps. */
    private INDArray distinct(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < n; i++) values.add(0.01 * i - 0.005 * n);
        Collections.shuffle(values, rng);
        return Nd4j.create(values.stream().mapToDouble(Double::doubleValue).toArray(), shape, 'c');
    }

    @Test
    void maxPool2x2Stride2() {
        checkLayer(new MaxPool2d(Window.square(2, 2, 0)), distinct(2, 2, 4, 4));
    }

    @Test
    void maxPool3x3Stride2Padding1() {
        checkLayer(new MaxPool2d(Window.square(3, 2, 1)), distinct(2, 2, 5, 5));
    }

    @Test
    void maxPoolOverlappingWindowsStride1() {
        // One input can be the maximum of several windows: its gradient is the sum of theirs.
        checkLayer(new MaxPool2d(Window.square(3, 1, 1)), distinct(1, 2, 4, 4));
    }

    @Test
    void avgPool2x2Stride2() {
        checkLayer(new AvgPool2d(Window.square(2, 2, 0)), randn(2, 2, 4, 4));
    }

    @Test
    void avgPool3x3Stride2Padding1() {
        checkLayer(new AvgPool2d(Window.square(3, 2, 1)), randn(2, 2, 5, 5));
    }

    @Test
    void avgPoolAsymmetricWindow() {
        checkLayer(new AvgPool2d(new Window(3, 2, 1, 2, 1, 0)), randn(1, 2, 5, 6));
    }

    @Test
    void sigmoid() {
        checkLayer(new Sigmoid(), randn(2, 3, 2, 2).muli(3));
    }

    @Test
    void reluAwayFromZero() {
        // The kink at 0 has no derivative; keep every input at least 0.1 from it.
        INDArray x = randn(2, 3, 2, 2);
        x.addi(Nd4j.math().sign(x).muli(0.1));
        checkLayer(new ReLU(), x);
    }

    @Test
    void reluPassesNoGradientAtOrBelowZero() {
        // At the kink itself PyTorch takes the derivative as 0; so does ReLU here.
        ReLU relu = new ReLU();
        relu.forward(Nd4j.create(new double[] {-2, -0.0, 0, 1e-12, 3}, new long[] {1, 5}, 'c'));

        INDArray dInput = relu.backward(Nd4j.create(new double[] {5, 5, 5, 5, 5}, new long[] {1, 5}, 'c'));

        assertArrayEquals(new double[] {0, 0, 0, 5, 5}, Compare.flat(dInput));
    }

    @Test
    void flatten() {
        checkLayer(new Flatten(), randn(2, 3, 2, 2));
    }

    @Test
    void linear() {
        checkLayer(new Linear("fc", randn(4, 5), randn(4)), randn(3, 5));
    }

    @Test
    void softmaxCrossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        INDArray logits = randn(4, 5).muli(2);
        int[] labels = {0, 3, 4, 3};
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();

        loss.forward(logits, labels);
        INDArray dLogits = loss.backward();

        assertGradient("cross-entropy dLogits", dLogits, () -> loss.forward(logits, labels), logits);
    }

    @Test
    void backwardAddsIntoParamGradsInsteadOfOverwriting() {
        // Param.grad accumulates, as PyTorch's .grad: two backward passes leave twice the gradient.
        for (Layer layer : List.of(conv(2, 3, Window.square(3, 1, 1), true), new Linear("fc", randn(4, 5), randn(4)))) {
            INDArray x = layer instanceof Linear ? randn(3, 5) : randn(2, 2, 4, 4);
            INDArray r = randn(layer.forward(x).shape());
            layer.backward(r);
            List<INDArray> once = layer.params().stream().map(p -> p.grad().dup()).toList();
            layer.backward(r);
            for (int i = 0; i < once.size(); i++) {
                Param p = layer.params().get(i);
                Compare.assertAllClose(layer.describe() + " " + p.name() + " after two backward passes",
                        once.get(i).mul(2), p.grad(), 1e-12, 1e-12);
            }
        }
    }
}
