package lenet.engine.nd4j;

import lenet.model.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * [N, C, H, W] to [N, C*H*W] in C, H, W order (row-major), exactly as PyTorch's {@code nn.Flatten},
 * so a linear layer after it takes PyTorch's weights unchanged. Both ways are reshapes (no copy).
 */
final class Flatten implements Module {
    private final LayerSpec.Flatten spec;
    private final long[] inShape; // one sample's [C, H, W]

    Flatten(LayerSpec.Flatten spec, int[] in) {
        this.spec = spec;
        this.inShape = new long[in.length];
        for (int d = 0; d < in.length; d++) inShape[d] = in[d];
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public INDArray forward(Tape tape, INDArray x) {
        return x.reshape('c', x.size(0), x.length() / x.size(0));
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) {
        long[] shape = new long[inShape.length + 1];
        shape[0] = tape.n;
        System.arraycopy(inShape, 0, shape, 1, inShape.length);
        return dOut.reshape('c', shape);
    }
}
