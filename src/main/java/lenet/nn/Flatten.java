package lenet.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * [N, C, H, W] to [N, C*H*W] in C, H, W order (row-major), exactly as PyTorch's {@code nn.Flatten},
 * so a linear layer after it takes PyTorch's weights unchanged.
 */
public final class Flatten implements Layer {
    private long[] inputShape;

    @Override
    public INDArray forward(INDArray x) {
        inputShape = x.shape();
        return x.reshape('c', x.size(0), x.length() / x.size(0));
    }

    @Override
    public INDArray backward(INDArray dOut) {
        return dOut.reshape('c', inputShape);
    }

    @Override
    public String describe() {
        return "Flatten";
    }
}
