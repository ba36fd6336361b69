package lenet.engine.reference;

import static lenet.engine.reference.FiniteDifferences.all;
import static lenet.engine.reference.FiniteDifferences.assertGradient;
import static lenet.engine.reference.FiniteDifferences.awayFromZero;
import static lenet.engine.reference.FiniteDifferences.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
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
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every reference layer's backward against central finite differences in double precision, on
 * tiny shapes: f = sum(layer(x) * R) for a fixed random R, so dL/dy = R and backward(R) must give
 * df/dx and df/dparameter for every entry.
 */
class LayerGradientTest {
    private static final int N = 2;

    /** Checks dx and the gradient of every array in {@code params} (which the layer reads) for input x. */
    private static void check(String what, Module layer, Mode mode, int n, double[] x, Map<String, double[]> params) {
        Random rng = new Random(what.hashCode());
        double[] r = uniform(rng, layer.forward(new Context(mode, n), x).length, -1, 1);
        DoubleSupplier f = () -> dot(layer.forward(new Context(mode, n), x), r);

        Context ctx = new Context(mode, n);
        layer.forward(ctx, x);
        double[] dx = layer.backward(ctx, r);

        assertGradient(what + ": dx", dx, f, x, all(x.length));
        for (Map.Entry<String, double[]> p : params.entrySet()) {
            double[] grad = ctx.grads().get(p.getKey());
            assertNotNull(grad, what + ": backward wrote no gradient for " + p.getKey());
            assertGradient(what + ": d" + p.getKey(), grad, f, p.getValue(), all(p.getValue().length));
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    @ParameterizedTest(name = "C={0} OC={1} kernel {2}x{3} stride {4}x{5} pad {6}x{7} on {8}x{9}")
    @CsvSource({
            "1, 1, 3, 3, 1, 1, 1, 1, 5, 5", // padding 1
            "2, 3, 3, 3, 2, 2, 1, 1, 7, 7", // stride 2, several channels in and out
            "3, 2, 1, 1, 1, 1, 0, 0, 4, 4", // 1x1
            "2, 2, 5, 3, 2, 1, 2, 1, 9, 6", // rectangular kernel, stride and padding per axis
            "1, 6, 5, 5, 1, 1, 2, 2, 8, 8", // LeNet's conv1 on a small image
            "3, 2, 2, 3, 3, 2, 1, 0, 8, 7", // stride larger than the kernel along an axis: cells never read
    })
    void conv2d(int c, int oc, int kh, int kw, int sh, int sw, int ph, int pw, int h, int w) {
        Random rng = new Random(1);
        LayerSpec.Conv2d spec = new LayerSpec.Conv2d("conv", c, oc, new Window(kh, kw, sh, sw, ph, pw));
        double[] weight = uniform(rng, oc * c * kh * kw, -1, 1), bias = uniform(rng, oc, -1, 1);
        Conv2d layer = new Conv2d(spec, new int[] {c, h, w}, weight, bias);

        check(spec.describe(), layer, Mode.TRAIN, N, uniform(rng, N * c * h * w, -1, 1), Map.of("conv.weight", weight, "conv.bias", bias));
    }

    @ParameterizedTest(name = "{0} pooling {1}x{2} stride {3}x{4} pad {5}x{6} on {7}x{8}")
    @CsvSource({
            "MAX, 2, 2, 2, 2, 0, 0, 4, 4", // LeNet's
            "AVG, 2, 2, 2, 2, 0, 0, 4, 4",
            "MAX, 3, 3, 2, 2, 1, 1, 5, 5", // padding and stride 2
            "AVG, 3, 3, 2, 2, 1, 1, 5, 5", // padding counts in the divisor
            "MAX, 3, 3, 1, 1, 1, 1, 4, 4", // overlapping windows: a cell's gradient from several outputs
            "AVG, 3, 3, 1, 1, 1, 1, 4, 4",
            "MAX, 2, 3, 1, 2, 1, 1, 5, 6", // per-axis window, stride and padding
            "AVG, 2, 3, 1, 2, 1, 1, 5, 6",
            "AVG, 2, 2, 3, 3, 0, 0, 7, 7", // stride larger than the window: cells never read
    })
    void pool2d(Pooling kind, int kh, int kw, int sh, int sw, int ph, int pw, int h, int w) {
        Random rng = new Random(2);
        int c = 3;
        LayerSpec.Pool2d spec = new LayerSpec.Pool2d("pool", kind, new Window(kh, kw, sh, sw, ph, pw));
        int[] in = {c, h, w};
        Module layer = kind == Pooling.MAX ? new MaxPool2d(spec, in) : new AvgPool2d(spec, in);

        check(spec.describe(), layer, Mode.TRAIN, N, uniform(rng, N * c * h * w, -1, 1), Map.of());
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activation(Activation kind) {
        LayerSpec.Act spec = new LayerSpec.Act("act", kind);
        Module layer = kind == Activation.SIGMOID ? new Sigmoid(spec) : new ReLU(spec);

        check(spec.describe(), layer, Mode.TRAIN, N, awayFromZero(new Random(3), N * 2 * 3 * 3), Map.of());
    }

    @Test
    void flattenPassesValuesAndGradientsThrough() {
        Flatten layer = new Flatten(new LayerSpec.Flatten("flatten"));

        check("Flatten", layer, Mode.TRAIN, N, uniform(new Random(4), N * 2 * 3 * 3, -1, 1), Map.of());
    }

    @Test
    void linear() {
        Random rng = new Random(5);
        LayerSpec.Linear spec = new LayerSpec.Linear("fc", 5, 3);
        double[] weight = uniform(rng, 15, -1, 1), bias = uniform(rng, 3, -1, 1);
        Linear layer = new Linear(spec, weight, bias);

        check(spec.describe(), layer, Mode.TRAIN, N, uniform(rng, N * 5, -1, 1), Map.of("fc.weight", weight, "fc.bias", bias));
    }

    /** BatchNorm2d on [4, 3, 3, 3] and BatchNorm1d on [6, 5], in both modes, with weight, bias and running statistics away from 1 and 0. */
    @ParameterizedTest(name = "{0} mode, input {1}")
    @CsvSource({"TRAIN, 4x3x3x3", "EVAL, 4x3x3x3", "TRAIN, 6x5", "EVAL, 6x5", "TRAIN, 2x4"})
    void batchNorm(Mode mode, String shape) {
        Random rng = new Random(6);
        String[] dims = shape.split("x");
        int n = Integer.parseInt(dims[0]);
        int[] in = new int[dims.length - 1];
        for (int d = 1; d < dims.length; d++) in[d - 1] = Integer.parseInt(dims[d]);
        int c = in[0], size = 1;
        for (int d : in) size *= d;
        LayerSpec.BatchNorm spec = new LayerSpec.BatchNorm("bn", c, 1e-5, 0.1);
        Map<String, double[]> arrays = new LinkedHashMap<>();
        arrays.put("bn.weight", uniform(rng, c, 0.5, 1.5));
        arrays.put("bn.bias", uniform(rng, c, -0.5, 0.5));
        arrays.put("bn.running_mean", uniform(rng, c, -0.5, 0.5));
        arrays.put("bn.running_var", uniform(rng, c, 0.5, 2));
        arrays.put("bn.num_batches_tracked", new double[] {3});
        BatchNorm layer = new BatchNorm(spec, in, arrays);

        check(spec.describe() + " " + mode, layer, mode, n, uniform(rng, n * size, -2, 2),
                Map.of("bn.weight", arrays.get("bn.weight"), "bn.bias", arrays.get("bn.bias")));
    }

    @Test
    void batchNormRunningStatisticsArePyTorchs() {
        // Channel 0 holds 1, 2, 3, 6 over a batch of 2 and 2 positions: mean 3, biased variance 3.5,
        // unbiased 14/3. With momentum 0.1 from running (0.5, 2): mean 0.9*0.5 + 0.1*3 = 0.75,
        // var 0.9*2 + 0.1*14/3 = 1.8 + 0.4666..., and the batch count goes from 3 to 4.
        LayerSpec.BatchNorm spec = new LayerSpec.BatchNorm("bn", 1, 1e-5, 0.1);
        Map<String, double[]> arrays = Map.of("bn.weight", new double[] {1}, "bn.bias", new double[] {0},
                "bn.running_mean", new double[] {0.5}, "bn.running_var", new double[] {2}, "bn.num_batches_tracked", new double[] {3});
        BatchNorm layer = new BatchNorm(spec, new int[] {1, 1, 2}, arrays);
        Context ctx = new Context(Mode.TRAIN, 2);

        double[] y = layer.forward(ctx, new double[] {1, 2, 3, 6});

        assertEquals(0.75, ctx.newBuffers().get("bn.running_mean")[0], 1e-15);
        assertEquals(1.8 + 0.1 * 14 / 3.0, ctx.newBuffers().get("bn.running_var")[0], 1e-15);
        assertEquals(4, ctx.newBuffers().get("bn.num_batches_tracked")[0]);
        assertEquals((1 - 3) / Math.sqrt(3.5 + 1e-5), y[0], 1e-15, "normalised by the biased variance");
        assertEquals(0.5, arrays.get("bn.running_mean")[0], "forward leaves the model's buffers alone");
    }

    @Test
    void batchNormInTrainModeRefusesOneValuePerChannel() {
        LayerSpec.BatchNorm spec = new LayerSpec.BatchNorm("bn3", 2, 1e-5, 0.1);
        Map<String, double[]> arrays = Map.of("bn3.weight", new double[2], "bn3.bias", new double[2],
                "bn3.running_mean", new double[2], "bn3.running_var", new double[] {1, 1}, "bn3.num_batches_tracked", new double[1]);
        BatchNorm layer = new BatchNorm(spec, new int[] {2}, arrays);

        assertThrows(IllegalArgumentException.class, () -> layer.forward(new Context(Mode.TRAIN, 1), new double[] {1, 2}));
    }

    @Test
    void softmaxCrossEntropy() {
        Random rng = new Random(7);
        int n = 3, k = 4;
        double[] z = uniform(rng, n * k, -3, 3);
        int[] labels = {2, 0, 3};
        SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.forward(z, labels, n, k);

        assertGradient("softmax cross-entropy", SoftmaxCrossEntropy.backward(loss),
                () -> SoftmaxCrossEntropy.forward(z, labels, n, k).value(), z, all(z.length));
    }

    @Test
    void softmaxCrossEntropyOfEqualLogitsIsLogK() {
        SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.forward(new double[] {1000, 1000, 1000, 1000}, new int[] {1}, 1, 4);

        assertEquals(Math.log(4), loss.value(), 1e-15, "no overflow at large logits");
    }
}
