package lenet.nn;

import lenet.model.Window;

import static lenet.nn.TestArrays.toArray4;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Conv2d, MaxPool2d and AvgPool2d in float, as training runs them, against the plain-loop
 * {@link ReferenceOps} in double, over many shapes, strides and paddings.
 */
class ReferenceComparisonTest {
    /** Float keeps ~7 significant digits: 1e-5 relative, or 1e-5 absolute where a sum cancels to near zero. */
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conv2dMatchesReference(Case k) {
        Random rng = new Random(k.toString().hashCode());
        INDArray x = TestArrays.randn(rng, DataType.FLOAT, k.n(), k.c(), k.h(), k.w());
        INDArray w = TestArrays.randn(rng, DataType.FLOAT, k.oc(), k.c(), k.kh(), k.kw());
        INDArray b = TestArrays.randn(rng, DataType.FLOAT, k.oc());
        Conv2d conv = new Conv2d("conv", k.c(), k.oc(), k.window(), w, b);

        INDArray y = conv.forward(x);

        // The reference sees exactly the float values the layer saw.
        double[][][][] expected = ReferenceOps.conv2d(toArray4(x), toArray4(w), Compare.flat(b),
                k.strideH(), k.strideW(), k.padH(), k.padW());
        Compare.assertAllClose("conv2d " + k, TestArrays.stack(expected), y, RTOL, ATOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void maxPool2dMatchesReference(Case k) {
        Random rng = new Random(k.toString().hashCode());
        INDArray x = TestArrays.randn(rng, DataType.FLOAT, k.n(), k.c(), k.h(), k.w());

        INDArray y = new MaxPool2d(k.window()).forward(x);

        double[][][][] expected = ReferenceOps.maxPool2d(toArray4(x), k.kh(), k.kw(), k.strideH(), k.strideW(), k.padH(), k.padW());
        Compare.assertAllClose("maxpool2d " + k, TestArrays.stack(expected), y, RTOL, ATOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolCases")
    void avgPool2dMatchesReference(Case k) {
        Random rng = new Random(k.toString().hashCode());
        INDArray x = TestArrays.randn(rng, DataType.FLOAT, k.n(), k.c(), k.h(), k.w());

        INDArray y = new AvgPool2d(k.window()).forward(x);

        double[][][][] expected = ReferenceOps.avgPool2d(toArray4(x), k.kh(), k.kw(), k.strideH(), k.strideW(), k.padH(), k.padW());
        Compare.assertAllClose("avgpool2d " + k, TestArrays.stack(expected), y, RTOL, ATOL);
    }
}
