package lenet.nn;

import lenet.model.Window;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What max and average pooling share: a window slid over each channel separately (channels in =
 * channels out, no parameters), output size floor((n + 2p - k) / s) + 1, and libnd4j's native
 * pooling kernels in NCHW.
 */
abstract sealed class Pool2d implements Layer permits MaxPool2d, AvgPool2d {
    private final Window window;
    private final String op;
    private final int[] opArgs;
    private INDArray input; // kept by forward for backward

    /** @param op libnd4j's op name; {@code op + "_bp"} is its backward. */
    Pool2d(Window window, String op, int extra) {
        this.window = window;
        this.op = op;
        int[] w = Nd4jArgs.window(window);
        // kH,kW,sH,sW,pH,pW,dH,dW, same-mode off, the op's extra argument, NCHW
        this.opArgs = new int[] {w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], 0, extra, 0};
    }

    @Override
    public INDArray forward(INDArray x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(describe() + " expects [N, C, H, W], got " + java.util.Arrays.toString(x.shape()));
        }
        input = x;
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.size(0), x.size(1),
                window.outputHeight((int) x.size(2)), window.outputWidth((int) x.size(3)));
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(x).addOutputs(y).addIntegerArguments(opArgs).build());
        return y;
    }

    @Override
    public INDArray backward(INDArray dOut) {
        INDArray dInput = Nd4j.createUninitialized(input.dataType(), input.shape());
        Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(input, dOut).addOutputs(dInput)
                .addIntegerArguments(opArgs).build());
        return dInput;
    }

    public Window window() {
        return window;
    }
}
