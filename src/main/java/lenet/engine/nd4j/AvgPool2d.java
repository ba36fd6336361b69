package lenet.engine.nd4j;

import lenet.model.LayerSpec;

/**
 * Average pooling, PyTorch's {@code nn.AvgPool2d} with its default {@code count_include_pad=True}:
 * each output is the sum of its window divided by the FULL window size KH*KW, padding cells
 * counting as zeros. Backward spreads each output's gradient evenly, dOut / (KH*KW), over its
 * window. On libnd4j's avgpool2d / avgpool2d_bp.
 *
 * <p>The same arithmetic in plain loops, forward and backward on one screen: {@code lenet.engine.reference.AvgPool2d}.
 */
final class AvgPool2d extends Pool2d {
    AvgPool2d(LayerSpec.Pool2d spec) {
        super(spec, "avgpool2d", Nd4jArgs.AVG_DIVIDE_BY_FULL_WINDOW);
    }
}
