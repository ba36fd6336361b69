package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.Pooling;
import lenet.model.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every ND4J layer's backward against central finite differences, in double precision on tiny
 * shapes, checking every entry of dInput and of each parameter's gradient.
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
     * Runs forward and backward once with dOut = R, then checks dInput and the gradient of every array
     * in {@code params} (which the layer reads) entry by entry against finite differences of
     * sum(layer(x) * R).
     */
    private void checkLayer(Module layer, Mode mode, INDArray x, Map<String, INDArray> params) {
        int n = (int) x.size(0);
        INDArray r = randn(layer.forward(TestArrays.tape(mode, n, TestArrays.zerosLike(params)), x).shape());
        Map<String, INDArray> grads = TestArrays.zerosLike(params);
        Tape tape = TestArrays.tape(mode, n, grads);
        layer.forward(tape, x);
        INDArray dInput = layer.backward(tape, r);

        DoubleSupplier loss = () -> layer.forward(TestArrays.tape(mode, n, TestArrays.zerosLike(params)), x).mul(r).sumNumber().doubleValue();
        String what = layer.spec().describe() + " " + mode;
        assertGradient(what + " dInput", dInput, loss, x);
        for (Map.Entry<String, INDArray> p : params.entrySet()) {
            assertGradient(what + " d" + p.getKey(), grads.get(p.getKey()), loss, p.getValue());
        }
    }

    private void checkLayer(Module layer, INDArray x, Map<String, INDArray> params) {
        checkLayer(layer, Mode.TRAIN, x, params);
    }

    private static void assertGradient(String what, INDArray analytic, DoubleSupplier loss, INDArray x) {
        GradCheck.assertGradient(what, analytic, loss, x, GradCheck.allIndices(x));
    }

    private Map<String, INDArray> convParams(int c, int oc, Window window) {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("conv.weight", randn(oc, c, window.kernelH(), window.kernelW()));
        p.put("conv.bias", randn(oc));
        return p;
    }

    private void checkConv(int c, int oc, Window window, INDArray x) {
        Map<String, INDArray> p = convParams(c, oc, window);
        checkLayer(new Conv2d(new LayerSpec.Conv2d("conv", c, oc, window), p.get("conv.weight"), p.get("conv.bias")), x, p);
    }

    @Test
    void conv2dPadding1() {
        checkConv(2, 3, Window.square(3, 1, 1), randn(2, 2, 5, 5));
    }

    @Test
    void conv2dStride2Padding1() {
        checkConv(3, 2, Window.square(3, 2, 1), randn(2, 3, 6, 6));
    }

    @Test
    void conv2dPadding2SeveralChannelsInAndOut() {
        checkConv(3, 4, Window.square(5, 1, 2), randn(1, 3, 5, 5));
    }

    @Test
    void conv1x1() {
        checkConv(4, 3, Window.square(1, 1, 0), randn(2, 4, 3, 3));
    }

    @Test
    void conv2dAsymmetricKernelStrideAndPadding() {
        checkConv(2, 3, new Window(3, 2, 2, 1, 1, 0), randn(2, 2, 7, 5));
    }

    /** The first layer while training: dweight and dbias by the correlation, no dInput. */
    @ParameterizedTest(name = "C={0} OC={1} k={2} pad={3}")
    @CsvSource({"1, 6, 5, 2", "3, 2, 3, 1", "2, 3, 1, 0"})
    void conv2dWeightGradientOnlyByCorrelation(int c, int oc, int k, int pad) {
        Window window = Window.square(k, 1, pad);
        Map<String, INDArray> p = convParams(c, oc, window);
        Module layer = new CorrelationWeightGradient(new LayerSpec.Conv2d("conv", c, oc, window), p.get("conv.weight"), p.get("conv.bias"));
        INDArray x = randn(2, c, 6, 5);
        INDArray r = randn(layer.forward(TestArrays.tape(Mode.TRAIN, 2, TestArrays.zerosLike(p)), x).shape());
        Map<String, INDArray> grads = TestArrays.zerosLike(p);
        Tape tape = TestArrays.tape(Mode.TRAIN, 2, grads);
        layer.forward(tape, x);

        assertNull(layer.backward(tape, r), "no dInput");

        DoubleSupplier loss = () -> layer.forward(TestArrays.tape(Mode.TRAIN, 2, TestArrays.zerosLike(p)), x).mul(r).sumNumber().doubleValue();
        for (String name : p.keySet()) assertGradient("d" + name, grads.get(name), loss, p.get(name));
    }

    /** Distinct values at least 0.01 apart, shuffled, so every window's maximum is unique and stays so under +-eps. */
    private INDArray distinct(long... shape) {
        long n = TestArrays.size(shape);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < n; i++) values.add(0.01 * i - 0.005 * n);
        Collections.shuffle(values, rng);
        return Nd4j.create(values.stream().mapToDouble(Double::doubleValue).toArray(), shape, 'c');
    }

    private static Module pool(Pooling kind, Window window) {
        LayerSpec.Pool2d spec = new LayerSpec.Pool2d("pool", kind, window);
        return kind == Pooling.MAX ? new MaxPool2d(spec) : new AvgPool2d(spec);
    }

    @Test
    void maxPool2x2Stride2() {
        checkLayer(pool(Pooling.MAX, Window.square(2, 2, 0)), distinct(2, 2, 4, 4), Map.of());
    }

    @Test
    void maxPool3x3Stride2Padding1() {
        checkLayer(pool(Pooling.MAX, Window.square(3, 2, 1)), distinct(2, 2, 5, 5), Map.of());
    }

    @Test
    void maxPoolOverlappingWindowsStride1() {
        // One input can be the maximum of several windows: its gradient is the sum of theirs.
        checkLayer(pool(Pooling.MAX, Window.square(3, 1, 1)), distinct(1, 2, 4, 4), Map.of());
    }

    @Test
    void avgPool2x2Stride2() {
        checkLayer(pool(Pooling.AVG, Window.square(2, 2, 0)), randn(2, 2, 4, 4), Map.of());
    }

    @Test
    void avgPool3x3Stride2Padding1() {
        checkLayer(pool(Pooling.AVG, Window.square(3, 2, 1)), randn(2, 2, 5, 5), Map.of());
    }

    @Test
    void avgPoolAsymmetricWindow() {
        checkLayer(pool(Pooling.AVG, new Window(3, 2, 1, 2, 1, 0)), randn(1, 2, 5, 6), Map.of());
    }

    @Test
    void sigmoid() {
        checkLayer(new Sigmoid(new LayerSpec.Act("act", Activation.SIGMOID), false), randn(2, 3, 2, 2).muli(3), Map.of());
    }

    @Test
    void sigmoidWritingOverItsInputGivesTheSameGradient() {
        INDArray z = randn(2, 3, 2, 2).muli(3);
        Sigmoid inPlace = new Sigmoid(new LayerSpec.Act("act", Activation.SIGMOID), true);
        Tape tape = TestArrays.tape(Mode.TRAIN, 2, Map.of());
        INDArray s = inPlace.forward(tape, z.dup());
        INDArray r = randn(s.shape());
        INDArray dz = inPlace.backward(tape, r);
        // s(z) (1 - s(z)) r with s = 1 / (1 + e^-z), computed here in Java
        double[] zs = Compare.flat(z), rs = Compare.flat(r), expected = new double[zs.length];
        for (int i = 0; i < zs.length; i++) {
            double si = 1 / (1 + Math.exp(-zs[i]));
            expected[i] = si * (1 - si) * rs[i];
        }
        Compare.assertAllClose("in-place sigmoid dz", expected, Compare.flat(dz), 1e-12, 1e-15);
    }

    @Test
    void reluAwayFromZero() {
        // The kink at 0 has no derivative; keep every input at least 0.1 from it.
        INDArray x = randn(2, 3, 2, 2);
        x.addi(Nd4j.math().sign(x).muli(0.1));
        checkLayer(new ReLU(new LayerSpec.Act("act", Activation.RELU)), x, Map.of());
    }

    @Test
    void reluPassesNoGradientAtOrBelowZero() {
        // At the kink itself PyTorch takes the derivative as 0; so does ReLU here.
        ReLU relu = new ReLU(new LayerSpec.Act("act", Activation.RELU));
        Tape tape = TestArrays.tape(Mode.TRAIN, 1, Map.of());
        relu.forward(tape, Nd4j.create(new double[] {-2, -0.0, 0, 1e-12, 3}, new long[] {1, 5}, 'c'));

        INDArray dInput = relu.backward(tape, Nd4j.create(new double[] {5, 5, 5, 5, 5}, new long[] {1, 5}, 'c'));

        assertArrayEquals(new double[] {0, 0, 0, 5, 5}, Compare.flat(dInput));
    }

    @Test
    void flatten() {
        checkLayer(new Flatten(new LayerSpec.Flatten("flatten"), new int[] {3, 2, 2}), randn(2, 3, 2, 2), Map.of());
    }

    @Test
    void linear() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("fc.weight", randn(4, 5));
        p.put("fc.bias", randn(4));
        checkLayer(new Linear(new LayerSpec.Linear("fc", 5, 4), p.get("fc.weight"), p.get("fc.bias")), randn(3, 5), p);
    }

    /** BatchNorm2d on [4, 3, 3, 3] and BatchNorm1d on [6, 5], in both modes, with weight, bias and running statistics away from 1 and 0. */
    @ParameterizedTest(name = "{0} mode, input {1}")
    @CsvSource({"TRAIN, 4x3x3x3", "EVAL, 4x3x3x3", "TRAIN, 6x5", "EVAL, 6x5", "TRAIN, 2x4", "TRAIN, 3x1x2x2"})
    void batchNorm(Mode mode, String shape) {
        long[] dims = java.util.Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
        int c = (int) dims[1];
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("bn.weight", TestArrays.uniform(rng, DataType.DOUBLE, 0.5, 1.5, c));
        p.put("bn.bias", TestArrays.uniform(rng, DataType.DOUBLE, -0.5, 0.5, c));
        BatchNorm layer = new BatchNorm(new LayerSpec.BatchNorm("bn", c, 1e-5, 0.1), p.get("bn.weight"), p.get("bn.bias"),
                TestArrays.uniform(rng, DataType.DOUBLE, -0.5, 0.5, c), TestArrays.uniform(rng, DataType.DOUBLE, 0.5, 2, c), Nd4j.scalar(3.0));

        checkLayer(layer, mode, TestArrays.uniform(rng, DataType.DOUBLE, -2, 2, dims), p);
    }

    @Test
    void batchNormRunningStatisticsArePyTorchs() {
        // Channel 0 holds 1, 2, 3, 6 over a batch of 2 and 2 positions: mean 3, biased variance 3.5,
        // unbiased 14/3. With momentum 0.1 from running (0.5, 2): mean 0.9*0.5 + 0.1*3 = 0.75,
        // var 0.9*2 + 0.1*14/3 = 1.8 + 0.4666..., and the batch count goes from 3 to 4.
        INDArray runningMean = Nd4j.createFromArray(0.5), runningVar = Nd4j.createFromArray(2.0), count = Nd4j.scalar(3.0);
        BatchNorm layer = new BatchNorm(new LayerSpec.BatchNorm("bn", 1, 1e-5, 0.1), Nd4j.createFromArray(1.0), Nd4j.createFromArray(0.0),
                runningMean, runningVar, count);
        Tape tape = TestArrays.tape(Mode.TRAIN, 2, Map.of());

        INDArray y = layer.forward(tape, Nd4j.create(new double[] {1, 2, 3, 6}, new long[] {2, 1, 2}, 'c'));

        assertEquals(0.75, tape.newBuffers().get("bn.running_mean").getDouble(0), 1e-15);
        assertEquals(1.8 + 0.1 * 14 / 3.0, tape.newBuffers().get("bn.running_var").getDouble(0), 1e-15);
        assertEquals(4, tape.newBuffers().get("bn.num_batches_tracked").getDouble(0));
        assertEquals((1 - 3) / Math.sqrt(3.5 + 1e-5), y.getDouble(0), 1e-15, "normalised by the biased variance");
        assertEquals(0.5, runningMean.getDouble(0), "forward leaves the model's buffers alone");
        assertEquals(3, count.getDouble(0));
    }

    @Test
    void batchNormInTrainModeRefusesOneValuePerChannel() {
        BatchNorm layer = new BatchNorm(new LayerSpec.BatchNorm("bn3", 2, 1e-5, 0.1), Nd4j.ones(DataType.DOUBLE, 2), Nd4j.zeros(DataType.DOUBLE, 2),
                Nd4j.zeros(DataType.DOUBLE, 2), Nd4j.ones(DataType.DOUBLE, 2), Nd4j.scalar(0.0));

        assertThrows(IllegalArgumentException.class, () -> layer.forward(TestArrays.tape(Mode.TRAIN, 1, Map.of()), Nd4j.create(new double[] {1, 2}, new long[] {1, 2}, 'c')));
    }

    @Test
    void softmaxCrossEntropyGradientIsSoftmaxMinusOneHotOverN() {
        INDArray logits = randn(4, 5).muli(2);
        int[] labels = {0, 3, 4, 3};

        INDArray dLogits = SoftmaxCrossEntropy.backward(SoftmaxCrossEntropy.forward(logits, labels));

        assertGradient("cross-entropy dLogits", dLogits, () -> SoftmaxCrossEntropy.forward(logits, labels).value(), logits);
    }

    @Test
    void softmaxCrossEntropyOfEqualLogitsIsLogK() {
        SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.forward(Nd4j.create(new double[] {1000, 1000, 1000, 1000}, new long[] {1, 4}, 'c'), new int[] {1});

        assertEquals(Math.log(4), loss.value(), 1e-15, "no overflow at large logits");
    }

    @Test
    void backwardAddsIntoParameterGradientsInsteadOfOverwriting() {
        // Gradients accumulate, as PyTorch's .grad: two backward passes leave twice the gradient.
        Map<String, INDArray> conv = convParams(2, 3, Window.square(3, 1, 1));
        Map<String, INDArray> fc = Map.of("fc.weight", randn(4, 5), "fc.bias", randn(4));
        Map<String, INDArray> bn = Map.of("bn.weight", randn(2), "bn.bias", randn(2));
        List<Object[]> cases = List.of(
                new Object[] {new Conv2d(new LayerSpec.Conv2d("conv", 2, 3, Window.square(3, 1, 1)), conv.get("conv.weight"), conv.get("conv.bias")), conv, randn(2, 2, 4, 4)},
                new Object[] {new Linear(new LayerSpec.Linear("fc", 5, 4), fc.get("fc.weight"), fc.get("fc.bias")), fc, randn(3, 5)},
                new Object[] {new BatchNorm(new LayerSpec.BatchNorm("bn", 2, 1e-5, 0.1), bn.get("bn.weight"), bn.get("bn.bias"),
                        Nd4j.zeros(DataType.DOUBLE, 2), Nd4j.ones(DataType.DOUBLE, 2), Nd4j.scalar(0.0)), bn, randn(3, 2, 2, 2)});
        for (Object[] c : cases) {
            Module layer = (Module) c[0];
            @SuppressWarnings("unchecked")
            Map<String, INDArray> params = (Map<String, INDArray>) c[1];
            INDArray x = (INDArray) c[2];
            Map<String, INDArray> grads = TestArrays.zerosLike(params);
            Tape tape = TestArrays.tape(Mode.TRAIN, (int) x.size(0), grads);
            INDArray r = randn(layer.forward(tape, x).shape());
            layer.backward(tape, r);
            Map<String, INDArray> once = new LinkedHashMap<>();
            grads.forEach((name, g) -> once.put(name, g.dup()));
            layer.backward(tape, r);
            for (String name : params.keySet()) {
                Compare.assertAllClose(layer.spec().describe() + " " + name + " after two backward passes", once.get(name).mul(2), grads.get(name), 1e-12, 1e-12);
            }
        }
    }
}
