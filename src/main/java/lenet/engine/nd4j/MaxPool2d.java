package lenet.engine.nd4j;

import lenet.model.LayerSpec;

/**
 * Max pooling, PyTorch's {@code nn.MaxPool2d}: each output is the largest input in its window;
 * padding cells count as -infinity, so they are never the maximum. Backward sends each output's
 * gradient to the one input that was the maximum. On libnd4j's maxpool2d / maxpool2d_bp.
 *
 * <p>The same arithmetic in plain loops, forward and backward on one screen: {@code lenet.engine.reference.MaxPool2d}.
 */
final class MaxPool2d extends Pool2d {
    MaxPool2d(LayerSpec.Pool2d spec) {
        super(spec, "maxpool2d", Nd4jArgs.MAX_NO_EXTRA);
    }
}
