package lenet.engine.nd4j;

import lenet.model.Window;

/**
 * libnd4j's integer arguments for its conv2d and pooling ops, each one named. The ops take them as a
 * bare int[]; the order is libnd4j's (checked against PyTorch, see ND4J-NOTES):
 *
 * <pre>
 *   conv2d, conv2d_bp          kH, kW, sH, sW, pH, pW, dH, dW, sameMode, dataFormat, weightFormat
 *   avgpool2d(_bp), maxpool2d(_bp)  kH, kW, sH, sW, pH, pW, dH, dW, sameMode, extra, dataFormat
 * </pre>
 */
final class Nd4jArgs {
    private Nd4jArgs() {}

    /** No dilation: the kernel's taps are next to each other. */
    static final int DILATION_1 = 1;
    /** Padding as given (pH, pW), not TensorFlow's "SAME" mode that picks it. */
    static final int EXPLICIT_PADDING = 0;
    /** dataFormat 0: [N, C, H, W], PyTorch's layout (1 would be NHWC). */
    static final int NCHW = 0;
    /** weightFormat 1: [OC, C, KH, KW], PyTorch's layout (0, the default, is [KH, KW, C, OC]). */
    static final int WEIGHTS_OC_C_KH_KW = 1;
    /** avgpool2d's extra 1: divide by the full window, padding included (PyTorch's count_include_pad=True). */
    static final int AVG_DIVIDE_BY_FULL_WINDOW = 1;
    /** maxpool2d reads no extra argument; 0 fills its place. */
    static final int MAX_NO_EXTRA = 0;

    /** conv2d and conv2d_bp for a layer with this window. */
    static int[] conv2d(Window w) {
        return conv2d(w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padH(), w.padW());
    }

    /** conv2d and conv2d_bp for any kernel size, stride and padding. */
    static int[] conv2d(int kH, int kW, int sH, int sW, int pH, int pW) {
        return new int[] {kH, kW, sH, sW, pH, pW, DILATION_1, DILATION_1, EXPLICIT_PADDING, NCHW, WEIGHTS_OC_C_KH_KW};
    }

    /** avgpool2d/maxpool2d and their _bp with this window and the op's {@code extra}. */
    static int[] pool2d(Window w, int extra) {
        return new int[] {w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padH(), w.padW(), DILATION_1, DILATION_1,
                EXPLICIT_PADDING, extra, NCHW};
    }
}
