package lenet.nn;

import lenet.model.Window;

/**
 * Max pooling, as PyTorch's {@code nn.MaxPool2d}: each output is the largest input in its window.
 * Padding cells count as -infinity, so they are never the maximum. Backward sends each output's
 * gradient to the one input that was the maximum.
 */
public final class MaxPool2d extends Pool2d {
    public MaxPool2d(Window window) {
        super(window, "maxpool2d", 0);
    }

    @Override
    public String describe() {
        return "MaxPool2d(" + window() + ")";
    }
}
