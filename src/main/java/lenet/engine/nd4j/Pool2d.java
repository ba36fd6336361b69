package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import lenet.model.Window;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What max and average pooling share: a window slid over each channel separately (channels in =
 * channels out, no parameters), output size floor((n + 2p - k) / s) + 1, and libnd4j's native
 * pooling kernels in NCHW; backward is the op's {@code _bp} twin, which reads the kept input.
 */
abstract sealed class Pool2d implements Module permits MaxPool2d, AvgPool2d {
    private final LayerSpec.Pool2d spec;
    private final String op;
    private final int[] args; // libnd4j's pooling arguments

    /** @param op libnd4j's op name; {@code op + "_bp"} is its backward. @param extra the op's "extra" argument */
    Pool2d(LayerSpec.Pool2d spec, String op, int extra) {
        this.spec = spec;
        this.op = op;
        this.args = Nd4jArgs.pool2d(spec.window(), extra);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public INDArray forward(Tape tape, INDArray x) { // x [N, C, H, W] -> y [N, C, OH, OW]
        Window w = spec.window();
        INDArray y = Nd4j.createUninitialized(x.dataType(), x.size(0), x.size(1), w.outputHeight((int) x.size(2)), w.outputWidth((int) x.size(3)));
        Nd4j.exec(DynamicCustomOp.builder(op).addInputs(x).addOutputs(y).addIntegerArguments(args).build());
        tape.save(this, x);
        return y;
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) { // dOut [N, C, OH, OW] -> dx [N, C, H, W]
        INDArray x = tape.saved(this, INDArray.class);
        INDArray dx = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.exec(DynamicCustomOp.builder(op + "_bp").addInputs(x, dOut).addOutputs(dx).addIntegerArguments(args).build());
        return dx;
    }
}
