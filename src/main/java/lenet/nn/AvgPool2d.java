package lenet.nn;

import lenet.model.Window;

/**
 * Average pooling, as PyTorch's {@code nn.AvgPool2d} with its default {@code count_include_pad=True}:
 * each output is the sum of its window divided by the FULL window size kH*kW, padding cells counting
 * as zeros. Backward spreads each output's gradient evenly, dOut / (kH*kW), over its window.
 */
public final class AvgPool2d extends Pool2d {
    /** libnd4j's avgpool2d "extra" argument: 1 divides by the full window, 0 by the unpadded cells only. */
    private static final int DIVIDE_BY_FULL_WINDOW = 1;

    public AvgPool2d(Window window) {
        super(window, "avgpool2d", DIVIDE_BY_FULL_WINDOW);
    }

    @Override
    public String describe() {
        return "AvgPool2d(" + window() + ")";
    }
}
