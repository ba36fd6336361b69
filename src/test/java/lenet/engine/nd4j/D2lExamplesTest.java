package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
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
 * The worked examples of d2l.ai's chapter "Convolutional Neural Networks" (sections 7.2 to 7.5) on
 * the ND4J engine's layers, reproduced exactly. d2l's layers there have no bias; a spec's conv always
 * has one, so it is zero here. Small integers are exact in double, so these compare with no tolerance.
 */
class D2lExamplesTest {
    // d2l 7.2.1: X = torch.arange(9.0).reshape(3, 3), K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    private static final double[][] X = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}};
    private static final double[][] K = {{0, 1}, {2, 3}};
    private static final Window KERNEL_2X2 = Window.square(2, 1, 0);

    /** The conv layer of {@code kernel} [OC, C, KH, KW] with zero bias, run on x. */
    private static INDArray conv(INDArray kernel, Window window, INDArray x) {
        int oc = (int) kernel.size(0), c = (int) kernel.size(1);
        Conv2d conv = new Conv2d(new LayerSpec.Conv2d("conv", c, oc, window), kernel, Nd4j.zeros(kernel.dataType(), oc));
        return conv.forward(TestArrays.tape(Mode.EVAL, (int) x.size(0), Map.of()), x);
    }

    private static INDArray pool(Pooling kind, Window window, INDArray x) {
        LayerSpec.Pool2d spec = new LayerSpec.Pool2d("pool", kind, window);
        Module layer = kind == Pooling.MAX ? new MaxPool2d(spec) : new AvgPool2d(spec);
        return layer.forward(TestArrays.tape(Mode.EVAL, (int) x.size(0), Map.of()), x);
    }

    @Test
    void crossCorrelationOf3x3InputWith2x2Kernel() {
        // Cross-correlation (no kernel flip, as in PyTorch): top-left is 0*0 + 1*1 + 3*2 + 4*3 = 19.
        INDArray y = conv(image(K), KERNEL_2X2, image(X));

        assertArrayEquals(new long[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new double[][] {{19, 25}, {37, 43}}, plane(y, 0));
    }

    @Test
    void twoInputChannelsAreCorrelatedSeparatelyAndSummed() {
        // d2l 7.4.1: X = stack(X, X + 1), K = stack(K, K + 1): 19 + 37 = 56 at the top-left.
        INDArray y = conv(stack(new double[][][] {K, plus(K, 1)}), KERNEL_2X2, stack(new double[][][] {X, plus(X, 1)}));

        assertArrayEquals(new double[][] {{56, 72}, {104, 120}}, plane(y, 0));
    }

    @Test
    void threeOutputChannelsEachHaveTheirOwnTwoChannelKernel() {
        // d2l 7.4.2: K = stack(K, K + 1, K + 2), each a 2-channel kernel, weight [OC=3, C=2, 2, 2].
        double[][][][] k = {{K, plus(K, 1)}, {plus(K, 1), plus(K, 2)}, {plus(K, 2), plus(K, 3)}};
        INDArray kernel = Nd4j.create(flatten(k), new long[] {3, 2, 2, 2}, 'c');

        INDArray y = conv(kernel, KERNEL_2X2, stack(new double[][][] {X, plus(X, 1)}));

        assertArrayEquals(new long[] {1, 3, 2, 2}, y.shape());
        assertArrayEquals(new double[][] {{56, 72}, {104, 120}}, plane(y, 0));
        assertArrayEquals(new double[][] {{76, 100}, {148, 172}}, plane(y, 1));
        assertArrayEquals(new double[][] {{96, 128}, {192, 224}}, plane(y, 2));
    }

    @Test
    void conv1x1IsPerPixelMatmul() {
        // d2l 7.4.3: a 1x1 convolution mixes channels at each pixel: Y[2, 9] = W[2, 3] @ X[3, 9].
        Random rng = new Random(7);
        INDArray x = TestArrays.randn(rng, DataType.DOUBLE, 1, 3, 3, 3);
        INDArray w = TestArrays.randn(rng, DataType.DOUBLE, 2, 3, 1, 1);

        INDArray y = conv(w, Window.square(1, 1, 0), x);

        Compare.assertAllClose("1x1 conv vs matmul", w.reshape(2, 3).mmul(x.reshape(3, 9)).reshape(1, 2, 3, 3), y, 1e-12, 1e-12);
    }

    /** d2l 7.5.2: torch.arange(16.0).reshape((1, 1, 4, 4)). */
    private static INDArray arange16() {
        return Nd4j.arange(16).castTo(DataType.DOUBLE).reshape(1, 1, 4, 4);
    }

    @Test
    void maxPool3x3Padding1Stride2() {
        // nn.MaxPool2d(3, padding=1, stride=2); padding cells are -inf, never the maximum.
        assertArrayEquals(new double[][] {{5, 7}, {13, 15}}, plane(pool(Pooling.MAX, Window.square(3, 2, 1), arange16()), 0));
    }

    @Test
    void maxPool3x3WithStrideEqualToKernelFitsOnce() {
        // nn.MaxPool2d(3): PyTorch's stride defaults to the kernel size; one window fits in 4x4.
        assertArrayEquals(new double[][] {{10}}, plane(pool(Pooling.MAX, Window.square(3, 3, 0), arange16()), 0));
    }

    @Test
    void avgPool3x3Padding1Stride2DividesByTheFullWindow() {
        // nn.AvgPool2d(3, padding=1, stride=2) with count_include_pad=True: padding counts as zeros
        // and every window is divided by 9, so the top-left is (0 + 1 + 4 + 5) / 9, not / 4.
        double[][] expected = {
                {(0 + 1 + 4 + 5) / 9.0, (1 + 2 + 3 + 5 + 6 + 7) / 9.0},
                {(4 + 5 + 8 + 9 + 12 + 13) / 9.0, (5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15) / 9.0}};
        double[][] actual = plane(pool(Pooling.AVG, Window.square(3, 2, 1), arange16()), 0);
        for (int i = 0; i < 2; i++) assertArrayEquals(expected[i], actual[i], 1e-15, "row " + i);
    }

    /** d2l 7.3: output shapes of an 8x8 input; (n + 2p - k) / s + 1 along each axis, rounded down. */
    @ParameterizedTest(name = "8x8 input, kernel {0}x{1}, padding {2}x{3}, stride {4}x{5} -> {6}x{7}")
    @CsvSource({
            "3, 3, 1, 1, 1, 1, 8, 8", // padding 1 keeps a 3x3 kernel's output the size of its input
            "5, 3, 2, 1, 1, 1, 8, 8", // so do padding (2, 1) with a (5, 3) kernel
            "3, 3, 1, 1, 2, 2, 4, 4", // stride 2 halves it
            "3, 5, 0, 1, 3, 4, 2, 2", // (8 - 3 + 0) / 3 + 1 = 2 and (8 - 5 + 2) / 4 + 1 = 2
    })
    void outputShapeOf8x8Input(int kh, int kw, int ph, int pw, int sh, int sw, int oh, int ow) {
        INDArray y = conv(Nd4j.rand(DataType.FLOAT, 1, 1, kh, kw), new Window(kh, kw, sh, sw, ph, pw), Nd4j.rand(DataType.FLOAT, 1, 1, 8, 8));

        assertArrayEquals(new long[] {1, 1, oh, ow}, y.shape());
    }

    /** d2l 7.2.3: a 6x8 image of ones with a black stripe, X[:, 2:6] = 0. */
    private static double[][] stripedImage() {
        double[][] x = new double[6][8];
        for (double[] row : x) for (int j = 0; j < 8; j++) row[j] = j >= 2 && j < 6 ? 0 : 1;
        return x;
    }

    /** The correlation with K = [[1, -1]]: 1 where white turns black, -1 where black turns white. */
    private static double[][] stripeEdges() {
        double[][] y = new double[6][7];
        for (double[] row : y) {
            row[1] = 1;
            row[5] = -1;
        }
        return y;
    }

    @Test
    void kernel1Minus1DetectsVerticalEdges() {
        INDArray y = conv(image(new double[][] {{1, -1}}), new Window(1, 2, 1, 1, 0, 0), image(stripedImage()));

        assertArrayEquals(stripeEdges(), plane(y, 0));
    }

    @Test
    void edgeDetectorKernelIsLearnedByGradientDescent() {
        // d2l 7.2.4: learn a 1x2 kernel from X and Y = X * [[1, -1]] by minimising
        // loss = sum((Y_hat - Y)^2) for 10 steps of w -= 3e-2 * dLoss/dw (d2l's conv has no bias: it stays 0 here).
        INDArray x = image(stripedImage()).castTo(DataType.FLOAT);
        INDArray y = image(stripeEdges()).castTo(DataType.FLOAT);
        Random rng = new Random(42);
        INDArray w = Nd4j.createFromArray((float) (rng.nextDouble() * 2 - 1), (float) (rng.nextDouble() * 2 - 1)).reshape(1, 1, 1, 2);
        Map<String, INDArray> params = Map.of("conv2d.weight", w, "conv2d.bias", Nd4j.zeros(DataType.FLOAT, 1));
        Conv2d conv = new Conv2d(new LayerSpec.Conv2d("conv2d", 1, 1, new Window(1, 2, 1, 1, 0, 0)), w, params.get("conv2d.bias"));
        double lr = 3e-2;

        double firstLoss = Double.NaN, loss = Double.NaN;
        for (int i = 0; i < 10; i++) {
            Map<String, INDArray> grads = TestArrays.zerosLike(params);
            Tape tape = TestArrays.tape(Mode.TRAIN, 1, grads);
            INDArray diff = conv.forward(tape, x).sub(y); // Y_hat - Y
            loss = diff.mul(diff).sumNumber().doubleValue();
            if (i == 0) firstLoss = loss;
            conv.backward(tape, diff.mul(2)); // dLoss/dY_hat = 2 (Y_hat - Y); adds dLoss/dw into grads
            w.subi(grads.get("conv2d.weight").mul(lr));
        }

        // d2l's own run shows [1.0486, -0.9313].
        double[] kernel = Compare.flat(w);
        assertEquals(1.0, kernel[0], 0.1, "learned kernel " + java.util.Arrays.toString(kernel));
        assertEquals(-1.0, kernel[1], 0.1, "learned kernel " + java.util.Arrays.toString(kernel));
        assertTrue(loss < firstLoss / 10, "loss fell from " + firstLoss + " to only " + loss);
    }

    /** A 2D matrix as a single image [1, 1, H, W] in double. */
    private static INDArray image(double[][] rows) {
        return stack(new double[][][] {rows});
    }

    /** C planes as one image [1, C, H, W] in double. */
    private static INDArray stack(double[][][] planes) {
        return Nd4j.create(flatten(new double[][][][] {planes}), new long[] {1, planes.length, planes[0].length, planes[0][0].length}, 'c');
    }

    private static double[] flatten(double[][][][] a) {
        return java.util.Arrays.stream(a).flatMap(java.util.Arrays::stream).flatMap(java.util.Arrays::stream).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /** Plane c of image 0 of an NCHW array, as rows. */
    private static double[][] plane(INDArray y, int c) {
        int h = (int) y.size(2), w = (int) y.size(3);
        double[] flat = Compare.flat(y);
        double[][] rows = new double[h][w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) rows[i][j] = flat[(c * h + i) * w + j];
        return rows;
    }

    /** Each entry plus a constant: d2l's X + 1. */
    private static double[][] plus(double[][] m, double v) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i].clone();
            for (int j = 0; j < r[i].length; j++) r[i][j] += v;
        }
        return r;
    }
}
