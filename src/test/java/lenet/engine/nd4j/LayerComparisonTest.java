package lenet.engine.nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import lenet.engine.reference.ReferenceLayers;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.Pooling;
import lenet.model.Window;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every ND4J layer in float, as training runs it, against the reference engine's layer in double
 * ({@code lenet.engine.reference}, plain loops), forward and backward: the output, dInput, every
 * parameter gradient and batch norm's new running statistics, over many shapes, strides and
 * paddings. The reference sees exactly the float values the ND4J layer saw.
 *
 * <p>Tolerances: float keeps ~7 significant digits, so outputs within 1e-5 relative or 1e-5
 * absolute (where a sum cancels to near zero); gradients, which are sums over the batch and the
 * positions, within 1e-5 relative plus 1e-5 of their array's largest entry. (Batch norm in train
 * mode on a batch of 2 is left to the double-precision finite differences: with two values per
 * channel its dx is the difference of two nearly equal terms, nonzero only through eps.)
 */
class LayerComparisonTest {
    private static final double RTOL = 1e-5, ATOL = 1e-5;

    /** One input shape and window; pooling ignores OC. */
    record Case(int n, int c, int oc, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        Window window() {
            return new Window(kh, kw, strideH, strideW, padH, padW);
        }

        /** PyTorch's pooling layers want padding at most half the kernel, so no window is all padding. */
        boolean poolable() {
            return padH <= kh / 2 && padW <= kw / 2;
        }

        boolean stride1() {
            return strideH == 1 && strideW == 1;
        }

        @Override
        public String toString() {
            return String.format("N%d C%d->OC%d %dx%d input, %s", n, c, oc, h, w, window());
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                //       N  C OC   H   W KH KW sH sW pH pW
                new Case(1, 1, 1, 5, 5, 3, 3, 1, 1, 0, 0),     // plain 3x3
                new Case(2, 3, 4, 7, 7, 3, 3, 1, 1, 1, 1),     // padding 1 keeps the size
                new Case(2, 3, 4, 8, 8, 3, 3, 2, 2, 1, 1),     // stride 2, padding 1
                new Case(2, 3, 2, 9, 9, 3, 3, 2, 2, 0, 0),     // stride 2, no padding
                new Case(2, 4, 3, 6, 6, 1, 1, 1, 1, 0, 0),     // 1x1
                new Case(1, 3, 2, 5, 5, 1, 1, 2, 2, 0, 0),     // 1x1, stride 2
                new Case(2, 2, 3, 9, 7, 3, 2, 2, 1, 1, 0),     // asymmetric kernel, stride and padding
                new Case(1, 2, 2, 8, 8, 5, 3, 1, 1, 2, 1),     // d2l: kernel (5, 3), padding (2, 1)
                new Case(1, 1, 2, 8, 8, 3, 5, 3, 4, 0, 1),     // d2l: kernel (3, 5), padding (0, 1), stride (3, 4)
                new Case(2, 3, 5, 7, 7, 5, 5, 1, 1, 2, 2),     // padding 2
                new Case(1, 2, 3, 7, 6, 3, 3, 2, 3, 2, 2),     // padding 2 with a 3x3 kernel, uneven strides
                new Case(2, 2, 2, 7, 7, 2, 2, 2, 2, 0, 0),     // 2x2 stride 2 on an odd size: the last row drops
                new Case(1, 3, 2, 4, 4, 4, 4, 1, 1, 0, 0),     // kernel as large as the input: 1x1 output
                new Case(2, 1, 6, 28, 28, 5, 5, 1, 1, 2, 2),   // LeNet conv1
                new Case(2, 6, 16, 14, 14, 5, 5, 1, 1, 0, 0),  // LeNet conv2
                new Case(2, 6, 6, 28, 28, 2, 2, 2, 2, 0, 0));  // LeNet pooling
    }

    static Stream<Case> poolCases() {
        return cases().filter(Case::poolable);
    }

    static Stream<Case> stride1OneChannel() {
        return cases().filter(k -> k.stride1() && k.c() == 1);
    }

    /** Runs {@code module} forward on x and backward on dOut (float), the reference layer on the same values, and compares all they give. */
    private static void compare(String what, Module module, LayerSpec spec, int[] in, Map<String, INDArray> arrays, Mode mode, INDArray x, boolean dInputToo) {
        int n = (int) x.size(0);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (var t : spec.parameters()) params.put(t.name(), arrays.get(t.name()));
        Map<String, INDArray> grads = TestArrays.zerosLike(params);
        Tape tape = TestArrays.tape(mode, n, grads);
        INDArray y = module.forward(tape, x.dup()).dup(); // copies: an in-place layer may write over both
        INDArray dOut = TestArrays.randn(new Random(what.hashCode()), DataType.FLOAT, y.shape());
        INDArray dx = module.backward(tape, dOut);

        Map<String, double[]> doubles = new LinkedHashMap<>();
        arrays.forEach((name, a) -> doubles.put(name, Compare.flat(a)));
        ReferenceLayers.LayerResult expected = ReferenceLayers.layer(spec, in, doubles, mode == Mode.TRAIN, n, Compare.flat(x), Compare.flat(dOut));

        Compare.assertAllClose(what + " output", expected.output(), Compare.flat(y), RTOL, ATOL);
        if (dInputToo) Compare.assertAllClose(what + " dInput", expected.dInput(), Compare.flat(dx), RTOL, ATOL * Math.max(1, Compare.maxAbs(expected.dInput())));
        for (String name : params.keySet()) {
            double[] e = expected.grads().get(name);
            Compare.assertAllClose(what + " d" + name, e, Compare.flat(grads.get(name)), RTOL, ATOL * Compare.maxAbs(e));
        }
        for (Map.Entry<String, double[]> b : expected.newBuffers().entrySet()) {
            Compare.assertAllClose(what + " new " + b.getKey(), b.getValue(), Compare.flat(tape.newBuffers().get(b.getKey())), RTOL, ATOL);
        }
    }

    private static Map<String, INDArray> convArrays(Random rng, Case k) {
        Map<String, INDArray> a = new LinkedHashMap<>();
        a.put("conv.weight", TestArrays.randn(rng, DataType.FLOAT, k.oc(), k.c(), k.kh(), k.kw()));
        a.put("conv.bias", TestArrays.randn(rng, DataType.FLOAT, k.oc()));
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conv2dMatchesReference(Case k) {
        Random rng = new Random(k.toString().hashCode());
        INDArray x = TestArrays.randn(rng, DataType.FLOAT, k.n(), k.c(), k.h(), k.w());
        Map<String, INDArray> a = convArrays(rng, k);
        LayerSpec.Conv2d spec = new LayerSpec.Conv2d("conv", k.c(), k.oc(), k.window());

        compare("conv2d " + k, new Conv2d(spec, a.get("conv.weight"), a.get("conv.bias")), spec, new int[] {k.c(), k.h(), k.w()}, a, Mode.TRAIN, x, true);
    }

    /** The first layer while training: both weights-only backwards, the correlation and (one channel) the vector API. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conv2dWeightGradientOnlyMatchesReference(Case k) {
        if (!k.stride1()) return;
        Random rng = new Random(k.toString().hashCode());
        INDArray x = TestArrays.randn(rng, DataType.FLOAT, k.n(), k.c(), k.h(), k.w());
        Map<String, INDArray> a = convArrays(rng, k);
        LayerSpec.Conv2d spec = new LayerSpec.Conv2d("conv", k.c(), k.oc(), k.window());
        int[] in = {k.c(), k.h(), k.w()};

        compare("correlation " + k, new CorrelationWeightGradient(spec, a.get("conv.weight"), a.get("conv.bias")), spec, in, a, Mode.TRAIN, x, false);
        if (k.c() == 1 && Simd.AVAILABLE) {
            compare("vector API " + k, new SimdWeightGradient(spec, a.get("conv.weight"), a.get("conv.bias")), spec, in, a, Mode.TRAIN, x, false);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void maxPool2dMatchesReference(Case k) {
        Random rng = new Random(k.toString().hashCode());
        LayerSpec.Pool2d spec = new LayerSpec.Pool2d("pool", Pooling.MAX, k.window());

        compare("maxpool2d " + k, new MaxPool2d(spec), spec, new int[] {k.c(), k.h(), k.w()}, Map.of(), Mode.TRAIN,
                TestArrays.randn(rng, DataType.FLOAT, k.n(), k.c(), k.h(), k.w()), true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void avgPool2dMatchesReference(Case k) {
        Random rng = new Random(k.toString().hashCode());
        LayerSpec.Pool2d spec = new LayerSpec.Pool2d("pool", Pooling.AVG, k.window());

        compare("avgpool2d " + k, new AvgPool2d(spec), spec, new int[] {k.c(), k.h(), k.w()}, Map.of(), Mode.TRAIN,
                TestArrays.randn(rng, DataType.FLOAT, k.n(), k.c(), k.h(), k.w()), true);
    }

    /** Both sigmoids (libnd4j's and the vector API's, each in and out of place) and the relu; a size that is no whole number of vectors. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void activationsMatchReference(Activation kind) {
        LayerSpec.Act spec = new LayerSpec.Act("act", kind);
        INDArray z = TestArrays.randn(new Random(3), DataType.FLOAT, 3, 5, 7, 7).muli(4);
        int[] in = {5, 7, 7};
        List<Module> modules = kind == Activation.RELU ? List.of(new ReLU(spec))
                : Simd.AVAILABLE ? List.of(new Sigmoid(spec, false), new Sigmoid(spec, true), new SimdSigmoid(spec, false), new SimdSigmoid(spec, true))
                : List.of(new Sigmoid(spec, false), new Sigmoid(spec, true));
        for (Module m : modules) compare(m.getClass().getSimpleName(), m, spec, in, Map.of(), Mode.TRAIN, z, true);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"400, 120", "84, 10", "5, 3"})
    void linearMatchesReference(int inFeatures, int out) {
        Random rng = new Random(inFeatures);
        LayerSpec.Linear spec = new LayerSpec.Linear("fc", inFeatures, out);
        Map<String, INDArray> a = new LinkedHashMap<>();
        a.put("fc.weight", TestArrays.randn(rng, DataType.FLOAT, out, inFeatures).divi(Math.sqrt(inFeatures)));
        a.put("fc.bias", TestArrays.randn(rng, DataType.FLOAT, out));

        compare(spec.describe(), new Linear(spec, a.get("fc.weight"), a.get("fc.bias")), spec, new int[] {inFeatures}, a, Mode.TRAIN,
                TestArrays.randn(rng, DataType.FLOAT, 16, inFeatures), true);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2x16x5x5", "3x6x2x2"})
    void flattenMatchesReference(String shape) {
        long[] dims = java.util.Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
        int[] in = {(int) dims[1], (int) dims[2], (int) dims[3]};
        LayerSpec.Flatten spec = new LayerSpec.Flatten("flatten");

        compare("flatten " + shape, new Flatten(spec, in), spec, in, Map.of(), Mode.TRAIN, TestArrays.randn(new Random(4), DataType.FLOAT, dims), true);
    }

    /** BatchNorm2d (LeNet's bn1 and bn2 shapes) and BatchNorm1d (bn3), in both modes: y, dx, dweight, dbias and the new running statistics. */
    @ParameterizedTest(name = "{0} mode, input {1}")
    @CsvSource({"TRAIN, 8x6x24x24", "EVAL, 8x6x24x24", "TRAIN, 16x16x8x8", "EVAL, 16x16x8x8", "TRAIN, 32x120", "EVAL, 32x120", "TRAIN, 4x84"})
    void batchNormMatchesReference(Mode mode, String shape) {
        long[] dims = java.util.Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).toArray();
        int c = (int) dims[1];
        int[] in = new int[dims.length - 1];
        for (int d = 1; d < dims.length; d++) in[d - 1] = (int) dims[d];
        Random rng = new Random(shape.hashCode());
        LayerSpec.BatchNorm spec = new LayerSpec.BatchNorm("bn", c, 1e-5, 0.1);
        Map<String, INDArray> a = new LinkedHashMap<>();
        a.put("bn.weight", TestArrays.uniform(rng, DataType.FLOAT, 0.5, 1.5, c));
        a.put("bn.bias", TestArrays.uniform(rng, DataType.FLOAT, -0.5, 0.5, c));
        a.put("bn.running_mean", TestArrays.uniform(rng, DataType.FLOAT, -0.5, 0.5, c));
        a.put("bn.running_var", TestArrays.uniform(rng, DataType.FLOAT, 0.5, 2, c));
        a.put("bn.num_batches_tracked", Nd4j.scalar(DataType.FLOAT, 5));
        BatchNorm layer = new BatchNorm(spec, a.get("bn.weight"), a.get("bn.bias"), a.get("bn.running_mean"), a.get("bn.running_var"), a.get("bn.num_batches_tracked"));
        // inputs off-centre and scaled, as a conv's output is: the normalisation has something to do
        INDArray x = TestArrays.randn(rng, DataType.FLOAT, dims).muli(3).addi(1.5);

        compare("batch norm " + shape + " " + mode, layer, spec, in, a, mode, x, true);
    }
}
