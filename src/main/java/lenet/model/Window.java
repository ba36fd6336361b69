package lenet.model;

/**
 * The sliding window of a convolution or pooling layer: kernel size, stride and zero padding,
 * each given per axis (height, width) as in PyTorch's {@code kernel_size=(kh, kw)}.
 *
 * <p>An input of n cells padded by p on both sides holds floor((n + 2p - k) / s) + 1 positions of a
 * window of k cells moved by s at a time: {@link #outputSize}.
 */
public record Window(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    public Window {
        if (kernelH < 1 || kernelW < 1) throw new IllegalArgumentException("kernel must be at least 1x1");
        if (strideH < 1 || strideW < 1) throw new IllegalArgumentException("stride must be at least 1");
        if (padH < 0 || padW < 0) throw new IllegalArgumentException("padding must not be negative");
    }

    /** A square kernel with the same stride and padding on both axes. */
    public static Window square(int kernel, int stride, int padding) {
        return new Window(kernel, kernel, stride, stride, padding, padding);
    }

    /**
     * The number of window positions along an axis of {@code n} cells:
     * floor((n + 2 * padding - kernel) / stride) + 1, the formula PyTorch documents for Conv2d,
     * MaxPool2d and AvgPool2d alike.
     *
     * @throws IllegalArgumentException when the padded input is smaller than the kernel
     */
    public static int outputSize(int n, int kernel, int stride, int padding) {
        int span = n + 2 * padding - kernel;
        if (span < 0) {
            throw new IllegalArgumentException("kernel " + kernel + " does not fit in " + n + " cells padded by " + padding);
        }
        return Math.floorDiv(span, stride) + 1;
    }

    public int outputHeight(int h) {
        return outputSize(h, kernelH, strideH, padH);
    }

    public int outputWidth(int w) {
        return outputSize(w, kernelW, strideW, padW);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(kernelH).append("x").append(kernelW);
        if (strideH != 1 || strideW != 1) s.append(", stride ").append(strideH == strideW ? "" + strideH : strideH + "x" + strideW);
        if (padH != 0 || padW != 0) s.append(", pad ").append(padH == padW ? "" + padH : padH + "x" + padW);
        return s.toString();
    }
}
