package lenet.nn;

import lenet.model.Window;

/** libnd4j's integer arguments for the conv2d and pooling ops. */
final class Nd4jArgs {
    private Nd4jArgs() {}

    /** The window part: kH, kW, sH, sW, pH, pW, dH, dW (dilation 1). */
    static int[] window(Window w) {
        return new int[] {w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), w.padH(), w.padW(), 1, 1};
    }
}
