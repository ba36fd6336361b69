package lenet.engine.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import lenet.model.Pooling;
import lenet.model.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The worked examples of d2l.ai's chapter "Convolutional Neural Networks" (sections 7.2 to 7.5)
 * through {@link ConvArithmetic}, that is through the reference engine's own conv and pooling
 * layers. Small integers are exact in double, so most compare with no tolerance at all.
 */
class D2lExamplesTest {
    // d2l 7.2.1: X = torch.arange(9.0).reshape(3, 3), K = torch.tensor([[0.0, 1.0], [2.0, 3.0]])
    private static final double[][] X = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}};
    private static final double[][] K = {{0, 1}, {2, 3}};
    private static final Window KERNEL_2X2 = Window.square(2, 1, 0);

    private static double[][] plus(double[][] m, double v) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i].clone();
            for (int j = 0; j < r[i].length; j++) r[i][j] += v;
        }
        return r;
    }

    /** d2l 7.5: torch.arange(16.0).reshape((1, 1, 4, 4)). */
    private static double[][] arange16() {
        double[][] x = new double[4][4];
        for (int i = 0; i < 16; i++) x[i / 4][i % 4] = i;
        return x;
    }

    @Test
    void crossCorrelationOf3x3InputWith2x2Kernel() {
        // Cross-correlation (no kernel flip, as in PyTorch): top-left is 0*0 + 1*1 + 3*2 + 4*3 = 19.
        double[][][] y = ConvArithmetic.conv2d(new double[][][] {X}, new double[][][][] {{K}}, null, KERNEL_2X2);

        assertArrayEquals(new double[][][] {{{19, 25}, {37, 43}}}, y);
    }

    @Test
    void explanationOfTheTopLeftCellShowsItsProducts() {
        Explanation.ConvCell cell = ConvArithmetic.explainConv2d(new double[][][] {X}, new double[][][][] {{K}}, new double[] {0.5}, KERNEL_2X2, 0, 0, 0);

        assertArrayEquals(new double[][] {{0, 1}, {3, 4}}, cell.windows().get(0).input());
        assertArrayEquals(K, cell.windows().get(0).kernel());
        assertArrayEquals(new double[][] {{0, 1}, {6, 12}}, cell.windows().get(0).products());
        assertEquals(19, cell.sum());
        assertEquals(19.5, cell.value());
    }

    @Test
    void twoInputChannelsAreCorrelatedSeparatelyAndSummed() {
        // d2l 7.4.1: X = stack(X, X + 1), K = stack(K, K + 1): 19 + 37 = 56 at the top-left.
        double[][][] y = ConvArithmetic.conv2d(new double[][][] {X, plus(X, 1)}, new double[][][][] {{K, plus(K, 1)}}, null, KERNEL_2X2);

        assertArrayEquals(new double[][][] {{{56, 72}, {104, 120}}}, y);
    }

    @Test
    void threeOutputChannelsEachHaveTheirOwnTwoChannelKernel() {
        // d2l 7.4.2: K = stack(K, K + 1, K + 2), each a 2-channel kernel, weight [OC=3, C=2, 2, 2].
        double[][][][] k = {{K, plus(K, 1)}, {plus(K, 1), plus(K, 2)}, {plus(K, 2), plus(K, 3)}};

        double[][][] y = ConvArithmetic.conv2d(new double[][][] {X, plus(X, 1)}, k, null, KERNEL_2X2);

        assertArrayEquals(new double[][][] {{{56, 72}, {104, 120}}, {{76, 100}, {148, 172}}, {{96, 128}, {192, 224}}}, y);
    }

    @Test
    void conv1x1IsPerPixelMatmul() {
        // d2l 7.4.3: a 1x1 convolution mixes channels at each pixel: Y[2, 9] = W[2, 3] @ X[3, 9].
        Random rng = new Random(7);
        double[][][] x = new double[3][3][3];
        double[][][][] w = new double[2][3][1][1];
        for (double[][] plane : x) for (double[] row : plane) for (int j = 0; j < 3; j++) row[j] = rng.nextGaussian();
        for (double[][][] o : w) for (double[][] c : o) c[0][0] = rng.nextGaussian();

        double[][][] y = ConvArithmetic.conv2d(x, w, null, Window.square(1, 1, 0));

        for (int o = 0; o < 2; o++) {
            for (int p = 0; p < 9; p++) {
                double matmul = 0;
                for (int c = 0; c < 3; c++) matmul += w[o][c][0][0] * x[c][p / 3][p % 3];
                assertEquals(matmul, y[o][p / 3][p % 3], "the same products added in the same order: equal to the last bit");
            }
        }
    }

    @Test
    void maxPool3x3Padding1Stride2() {
        // nn.MaxPool2d(3, padding=1, stride=2); padding cells are -inf, never the maximum.
        double[][][] y = ConvArithmetic.pool2d(new double[][][] {arange16()}, Pooling.MAX, Window.square(3, 2, 1));

        assertArrayEquals(new double[][][] {{{5, 7}, {13, 15}}}, y);
    }

    @Test
    void maxPoolExplanationShowsPaddingAsMinusInfinity() {
        Explanation.MaxPoolCell cell = (Explanation.MaxPoolCell) ConvArithmetic.explainPool2d(new double[][][] {arange16()}, Pooling.MAX, Window.square(3, 2, 1), 0, 0, 0);

        assertEquals(-1, cell.top());
        assertEquals(-1, cell.left());
        assertArrayEquals(new boolean[][] {{true, true, true}, {true, false, false}, {true, false, false}}, cell.padding());
        assertEquals(Double.NEGATIVE_INFINITY, cell.window()[0][0]);
        assertEquals(5, cell.value());
        assertEquals(2, cell.maxRow());
        assertEquals(2, cell.maxCol());
    }

    @Test
    void maxPool3x3WithStrideEqualToKernelFitsOnce() {
        // nn.MaxPool2d(3): PyTorch's stride defaults to the kernel size; one window fits in 4x4.
        assertArrayEquals(new double[][][] {{{10}}}, ConvArithmetic.pool2d(new double[][][] {arange16()}, Pooling.MAX, Window.square(3, 3, 0)));
    }

    @Test
    void poolingTwoChannelsPoolsEachOnItsOwn() {
        // d2l 7.5.4: X = cat((X, X + 1), 1): two channels in, two out.
        double[][][] y = ConvArithmetic.pool2d(new double[][][] {arange16(), plus(arange16(), 1)}, Pooling.MAX, Window.square(3, 2, 1));

        assertArrayEquals(new double[][][] {{{5, 7}, {13, 15}}, {{6, 8}, {14, 16}}}, y);
    }

    @Test
    void avgPool3x3Padding1Stride2DividesByTheFullWindow() {
        // nn.AvgPool2d(3, padding=1, stride=2) with count_include_pad=True: padding counts as zeros
        // and every window is divided by 9, so the top-left is (0 + 1 + 4 + 5) / 9, not / 4.
        double[][][] y = ConvArithmetic.pool2d(new double[][][] {arange16()}, Pooling.AVG, Window.square(3, 2, 1));

        assertArrayEquals(new double[][][] {{{(0 + 1 + 4 + 5) / 9.0, (1 + 2 + 3 + 5 + 6 + 7) / 9.0},
                {(4 + 5 + 8 + 9 + 12 + 13) / 9.0, (5 + 6 + 7 + 9 + 10 + 11 + 13 + 14 + 15) / 9.0}}}, y);
        Explanation.AvgPoolCell cell = (Explanation.AvgPoolCell) ConvArithmetic.explainPool2d(new double[][][] {arange16()}, Pooling.AVG, Window.square(3, 2, 1), 0, 0, 0);
        assertEquals(10, cell.sum());
        assertEquals(9, cell.divisor());
        assertEquals(0, cell.window()[0][0], "padding counts as zero");
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
        double[][][] y = ConvArithmetic.conv2d(new double[1][8][8], new double[1][1][kh][kw], null, new Window(kh, kw, sh, sw, ph, pw));

        assertEquals(oh, y[0].length);
        assertEquals(ow, y[0][0].length);
    }

    @Test
    void kernel1Minus1DetectsVerticalEdges() {
        // d2l 7.2.3: a 6x8 image of ones with a black stripe X[:, 2:6] = 0, correlated with K = [[1, -1]]:
        // 1 where white turns black, -1 where black turns white.
        double[][] x = new double[6][8];
        for (double[] row : x) for (int j = 0; j < 8; j++) row[j] = j >= 2 && j < 6 ? 0 : 1;

        double[][][] y = ConvArithmetic.conv2d(new double[][][] {x}, new double[][][][] {{{{1, -1}}}}, null, new Window(1, 2, 1, 1, 0, 0));

        for (double[] row : y[0]) assertArrayEquals(new double[] {0, 1, 0, 0, 0, -1, 0}, row);
    }

    @Test
    void paddingShowsAsPaddingInTheExplanation() {
        // 3x3 kernel, padding 1: the top-left output cell's window starts at (-1, -1).
        Explanation.ConvCell cell = ConvArithmetic.explainConv2d(new double[][][] {X}, new double[][][][] {{{{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}}},
                null, Window.square(3, 1, 1), 0, 0, 0);

        assertEquals(-1, cell.top());
        assertArrayEquals(new boolean[][] {{true, true, true}, {true, false, false}, {true, false, false}}, cell.windows().get(0).padding());
        assertArrayEquals(new double[][] {{0, 0, 0}, {0, 0, 1}, {0, 3, 4}}, cell.windows().get(0).input());
        assertEquals(8, cell.value());
    }

    @Test
    void badPlaygroundInputIsRefusedInWords() {
        double[][][] x = {X};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvArithmetic.conv2d(x, new double[][][][] {{K, K}}, null, KERNEL_2X2));
        assertTrue(e.getMessage().contains("input channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvArithmetic.conv2d(x, new double[][][][] {{K}}, null, Window.square(3, 1, 0)));
        assertTrue(e.getMessage().contains("kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvArithmetic.conv2d(new double[][][] {{{1, 2}, {3}}}, new double[][][][] {{K}}, null, KERNEL_2X2));
        assertTrue(e.getMessage().contains("rows differ"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvArithmetic.conv2d(x, new double[][][][] {{{{1, 1, 1, 1}}}}, null, new Window(1, 4, 1, 1, 0, 0)));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvArithmetic.pool2d(x, Pooling.MAX, Window.square(2, 1, 2)));
        assertTrue(e.getMessage().contains("more than half"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConvArithmetic.conv2d(new double[1][2048][1024], new double[][][][] {{K}}, null, KERNEL_2X2));
        assertTrue(e.getMessage().contains("allowed"), e.getMessage());
    }
}
