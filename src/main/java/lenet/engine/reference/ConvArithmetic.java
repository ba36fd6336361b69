package lenet.engine.reference;

import java.util.List;
import lenet.model.LayerSpec;
import lenet.model.Pooling;
import lenet.model.Window;

/**
 * Convolution and pooling on any one [C, H, W] input, through the reference engine's own layers
 * (the code LeNet runs, not a copy): for a page where learners try kernels, padding and strides,
 * and for d2l's worked examples. The output size along each axis is
 * floor((n + 2 padding - kernel) / stride) + 1 ({@link Window#outputSize}).
 *
 * <p>Arrays are nested Java arrays, row-major: input {@code [C][H][W]}, weight {@code [OC][C][KH][KW]}
 * (KH and KW must match the window's kernel), output {@code [OC][OH][OW]} or {@code [C][OH][OW]}.
 * Inputs come from users, so each is checked (rectangular, sizes within {@link #MAX_VALUES}, work
 * within {@link #MAX_MULTIPLY_ADDS}) and refused with a sentence saying what is wrong.
 */
public final class ConvArithmetic {
    /** The most values an input, weight or output may hold. */
    public static final int MAX_VALUES = 1 << 20;
    /** The most multiply-adds one convolution may cost. */
    public static final long MAX_MULTIPLY_ADDS = 100_000_000L;

    private ConvArithmetic() {}

    /** PyTorch's {@code F.conv2d(input[None], weight, bias, stride, padding)[0]}: cross-correlation, no kernel flip. */
    public static double[][][] conv2d(double[][][] input, double[][][][] weight, double[] bias, Window window) {
        Conv conv = conv(input, weight, bias, window);
        return unflatten(conv.layer.forward(new Context(Mode.EVAL, 1), flatten(input)), conv.out);
    }

    /** How {@link #conv2d} computed output cell (channel, row, col): the windows, kernels, products, sum and bias. */
    public static Explanation.ConvCell explainConv2d(double[][][] input, double[][][][] weight, double[] bias, Window window,
                                                     int channel, int row, int col) {
        Conv conv = conv(input, weight, bias, window);
        return conv.layer.explain(flatten(input), new int[] {channel, row, col}, "input", (feature, value) -> List.of());
    }

    /** PyTorch's {@code F.max_pool2d} or {@code F.avg_pool2d(..., count_include_pad=True)} of each channel. */
    public static double[][][] pool2d(double[][][] input, Pooling kind, Window window) {
        int[] in = shape(input, "input");
        Module layer = pool(in, kind, window);
        return unflatten(layer.forward(new Context(Mode.EVAL, 1), flatten(input)), layer.spec().outputShape(in));
    }

    /** How {@link #pool2d} computed output cell (channel, row, col): a {@link Explanation.MaxPoolCell} or {@link Explanation.AvgPoolCell}. */
    public static Explanation explainPool2d(double[][][] input, Pooling kind, Window window, int channel, int row, int col) {
        int[] in = shape(input, "input");
        Module layer = pool(in, kind, window);
        return ((Explainable) layer).explain(flatten(input), new int[] {channel, row, col}, "input", (feature, value) -> List.of());
    }

    private record Conv(Conv2d layer, int[] out) {}

    private static Conv conv(double[][][] input, double[][][][] weight, double[] bias, Window window) {
        if (window == null) throw new IllegalArgumentException("no window given");
        int[] in = shape(input, "input");
        if (weight == null || weight.length == 0) throw new IllegalArgumentException("the weight needs at least one output channel");
        int oc = weight.length;
        for (double[][][] kernel : weight) {
            int[] k = shape(kernel, "weight");
            if (k[0] != in[0]) throw new IllegalArgumentException("the weight has " + k[0] + " input channels, the input " + in[0]);
            if (k[1] != window.kernelH() || k[2] != window.kernelW()) {
                throw new IllegalArgumentException("the weight's kernel is " + k[1] + "x" + k[2] + ", the window's " + window.kernelH() + "x" + window.kernelW());
            }
        }
        if (bias != null && bias.length != oc) throw new IllegalArgumentException("the bias has " + bias.length + " values for " + oc + " output channels");
        LayerSpec.Conv2d spec = new LayerSpec.Conv2d("conv", in[0], oc, window);
        int[] out = spec.outputShape(in);
        checkSize("weight", (long) oc * in[0] * window.kernelH() * window.kernelW());
        checkSize("output", (long) out[0] * out[1] * out[2]);
        long work = (long) out[0] * out[1] * out[2] * in[0] * window.kernelH() * window.kernelW();
        if (work > MAX_MULTIPLY_ADDS) throw new IllegalArgumentException("that convolution takes " + work + " multiply-adds, more than the " + MAX_MULTIPLY_ADDS + " allowed; use a smaller input or kernel");
        double[] w = new double[oc * in[0] * window.kernelH() * window.kernelW()];
        int k = 0;
        for (double[][][] kernel : weight) for (double[][] plane : kernel) for (double[] r : plane) for (double v : r) w[k++] = v;
        return new Conv(new Conv2d(spec, in, w, bias == null ? new double[oc] : bias.clone()), out);
    }

    private static Module pool(int[] in, Pooling kind, Window window) {
        if (window == null || kind == null) throw new IllegalArgumentException("no window or pooling kind given");
        LayerSpec.Pool2d spec = new LayerSpec.Pool2d("pool", kind, window);
        int[] out = spec.outputShape(in);
        checkSize("output", (long) out[0] * out[1] * out[2]);
        return kind == Pooling.MAX ? new MaxPool2d(spec, in) : new AvgPool2d(spec, in);
    }

    /** [C, H, W] of a rectangular, non-empty array, within {@link #MAX_VALUES}. */
    private static int[] shape(double[][][] a, String what) {
        if (a == null || a.length == 0 || a[0] == null || a[0].length == 0 || a[0][0] == null || a[0][0].length == 0) {
            throw new IllegalArgumentException("the " + what + " is empty; it needs at least one channel, row and column");
        }
        int c = a.length, h = a[0].length, w = a[0][0].length;
        checkSize(what, (long) c * h * w);
        for (double[][] plane : a) {
            if (plane == null || plane.length != h) throw new IllegalArgumentException("the " + what + "'s channels differ in height");
            for (double[] row : plane) {
                if (row == null || row.length != w) throw new IllegalArgumentException("the " + what + "'s rows differ in length");
            }
        }
        return new int[] {c, h, w};
    }

    private static void checkSize(String what, long values) {
        if (values > MAX_VALUES) throw new IllegalArgumentException("the " + what + " would hold " + values + " values, more than the " + MAX_VALUES + " allowed");
    }

    private static double[] flatten(double[][][] a) {
        double[] flat = new double[a.length * a[0].length * a[0][0].length];
        int k = 0;
        for (double[][] plane : a) for (double[] row : plane) for (double v : row) flat[k++] = v;
        return flat;
    }

    private static double[][][] unflatten(double[] flat, int[] shape) {
        double[][][] a = new double[shape[0]][shape[1]][shape[2]];
        int k = 0;
        for (double[][] plane : a) for (double[] row : plane) for (int j = 0; j < row.length; j++) row[j] = flat[k++];
        return a;
    }
}
