package lenet.engine.fused;

import static lenet.engine.fused.ConvKernels.C1;
import static lenet.engine.fused.ConvKernels.C2;
import static lenet.engine.fused.ConvKernels.H1;
import static lenet.engine.fused.ConvKernels.H2;
import static lenet.engine.fused.ConvKernels.IN;
import static lenet.engine.fused.ConvKernels.K1;
import static lenet.engine.fused.ConvKernels.K2;
import static lenet.engine.fused.ConvKernels.P1;
import static lenet.engine.fused.ConvKernels.PADDED;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * One thread's working memory and its share of a step: L images at a time (a tile) go forward,
 * through the loss and backward before the next tile starts, so a tile's activations (about 0.6 MB
 * with L = 16) stay in the core's L2 cache. The gradients of all the tiles a thread runs are added
 * into this object's accumulators, which {@link #reduceInto} sums, in a fixed order, once per step.
 *
 * <pre>
 *   in   [32][32][L]        the tile's images, zero-padded by 2 (conv1's padding)
 *   s1   [6][28][28][L]     conv1's sums, then its activations, then (backward) dz1, in place
 *   x2   [6][14][14][L]     pool1
 *   s2   [16][10][10][L]    conv2's sums, activations, dz2
 *   x3   [400][L]           pool2, flattened (c, h, w)       x3T [L][400]   image-major copy
 *   s3   [120][L]           fc1's activations                s3T [L][128]
 *   s4   [84][L]            fc2's activations                s4T [L][96]
 *   z5   [10][L]            logits, then dLogits
 *   d4 [84][L], d3 [120][L], dx3 [400][L], dx2 [6][14][14][L]    gradients flowing back
 * </pre>
 */
final class Tile {
    static final int L = VectorMath.LANES;
    static final int F0 = 400, F1 = 120, F2 = 84, F3 = 10;
    /** fc inputs padded to whole vectors, for the image-major copies the weight gradients read. */
    static final int F0_PAD = pad(F0), F1_PAD = pad(F1), F2_PAD = pad(F2);

    private final boolean sigmoid, maxPool;

    final float[] in = new float[PADDED * PADDED * L];
    private final float[] s1 = new float[C1 * H1 * H1 * L];
    private final float[] x2 = new float[C1 * P1 * P1 * L];
    private final float[] s2 = new float[C2 * H2 * H2 * L];
    private final float[] x3 = new float[F0 * L], x3T = new float[L * F0_PAD];
    private final float[] s3 = new float[F1 * L], s3T = new float[L * F1_PAD];
    private final float[] s4 = new float[F2 * L], s4T = new float[L * F2_PAD];
    private final float[] z5 = new float[F3 * L];
    private final float[] d4 = new float[F2 * L], d3 = new float[F1 * L], dx3 = new float[F0 * L];
    private final float[] dx2 = new float[C1 * P1 * P1 * L];
    private final float[] expScratch = new float[F3];

    // Gradient accumulators: L-lane partial sums for the convolutions and biases, plain sums
    // (rows padded like the image-major inputs) for the dense weights.
    private final float[] gw1 = new float[C1 * K1 * L], gb1 = new float[C1 * L];
    private final float[] gw2 = new float[C2 * K2 * L], gb2 = new float[C2 * L];
    private final float[] gw3 = new float[F1 * F0_PAD], gb3 = new float[F1 * L];
    private final float[] gw4 = new float[F2 * F1_PAD], gb4 = new float[F2 * L];
    private final float[] gw5 = new float[F3 * F2_PAD], gb5 = new float[F3 * L];

    Tile(boolean sigmoid, boolean maxPool) {
        this.sigmoid = sigmoid;
        this.maxPool = maxPool;
    }

    private static int pad(int n) {
        return (n + L - 1) / L * L;
    }

    /** Where lane n of a gather reads: n images apart. */
    private static final int[] IMAGE_STRIDE = strides(IN * IN);

    private static int[] strides(int stride) {
        int[] s = new int[L];
        for (int n = 0; n < L; n++) s[n] = n * stride;
        return s;
    }

    /** Copies images [first, first + count) of {@code images} ([N][28][28]) into the tile; the other lanes get zeros. */
    void load(float[] images, int first, int count) {
        if (count == L) {
            // one gather per pixel: the pixel of L images, 784 floats apart
            for (int y = 0; y < IN; y++) {
                for (int x = 0; x < IN; x++) {
                    FloatVector.fromArray(VectorMath.SPECIES, images, first * IN * IN + y * IN + x, IMAGE_STRIDE, 0)
                            .intoArray(in, ((y + 2) * PADDED + x + 2) * L);
                }
            }
            return;
        }
        for (int y = 0; y < IN; y++) {
            for (int x = 0; x < IN; x++) {
                int at = ((y + 2) * PADDED + x + 2) * L, from = first * IN * IN + y * IN + x;
                for (int n = 0; n < count; n++) in[at + n] = images[from + n * IN * IN];
                for (int n = count; n < L; n++) in[at + n] = 0f;
            }
        }
    }

    /** The forward pass of the loaded tile; logits land in {@link #logits()}. {@code train} keeps what backward needs. */
    void forward(Params p, boolean train) {
        ConvKernels.conv1Forward(in, p.w1, p.b1, s1);
        lap(Kernel.CONV1_FORWARD);
        ConvKernels.activatePool(s1, C1, H1, sigmoid, maxPool, x2);
        lap(Kernel.ACTIVATE_POOL1);
        ConvKernels.conv2Forward(x2, p.w2, p.b2, s2);
        lap(Kernel.CONV2_FORWARD);
        ConvKernels.activatePool(s2, C2, H2, sigmoid, maxPool, x3);
        lap(Kernel.ACTIVATE_POOL2);
        DenseKernels.forward(p.w3, p.b3, F1, F0, x3, s3);
        DenseKernels.activate(s3, F1, sigmoid);
        lap(Kernel.FC1_FORWARD);
        DenseKernels.forward(p.w4, p.b4, F2, F1, s3, s4);
        DenseKernels.activate(s4, F2, sigmoid);
        DenseKernels.forward(p.w5, p.b5, F3, F2, s4, z5);
        lap(Kernel.FC23_FORWARD);
        if (train) {
            DenseKernels.transpose(x3, F0, x3T, F0_PAD);
            DenseKernels.transpose(s3, F1, s3T, F1_PAD);
            DenseKernels.transpose(s4, F2, s4T, F2_PAD);
            lap(Kernel.TRANSPOSE);
        }
    }

    /** The logits of the last forward pass, [10][L]. */
    float[] logits() {
        return z5;
    }

    /**
     * The loss of the tile's first {@code count} images with labels[first ..], and the gradient
     * that seeds backward, replacing the logits: dLogits = (softmax - onehot) / batch (the batch
     * mean, PyTorch's cross-entropy), zero in unused lanes. Returns the sum of the images' losses
     * (in double, in lane order) and adds each correct answer to {@code correct[0]}.
     *
     * <pre>
     *   m = max_k z[k],  e[k] = exp(z[k] - m),  sum = e[0] + ... + e[9]
     *   loss = log(sum) - (z[y] - m),           p[k] = e[k] / sum
     * </pre>
     */
    double seedLoss(int[] labels, int first, int count, int batch, int[] correct) {
        double loss = 0;
        float[] e = expScratch;
        for (int n = 0; n < L; n++) {
            if (n >= count) {
                for (int k = 0; k < F3; k++) z5[k * L + n] = 0f;
                continue;
            }
            int y = labels[first + n];
            float m = z5[n];
            int best = 0;
            for (int k = 1; k < F3; k++) {
                float z = z5[k * L + n];
                if (z > m) {
                    m = z;
                    best = k;
                }
            }
            float sum = 0;
            for (int k = 0; k < F3; k++) {
                e[k] = VectorMath.exp(z5[k * L + n] - m);
                sum += e[k];
            }
            loss += StrictMath.log(sum) - ((double) z5[y * L + n] - m);
            if (best == y) correct[0]++;
            for (int k = 0; k < F3; k++) z5[k * L + n] = (e[k] / sum - (k == y ? 1f : 0f)) / batch;
        }
        return loss;
    }

    /** The backward pass of the tile from the seeded dLogits, adding into the gradient accumulators. */
    void backward(Params p) {
        float[] d5 = z5;
        DenseKernels.weightGradient(d5, F3, s4T, F2_PAD, gw5);
        DenseKernels.biasGradient(d5, F3, gb5);
        DenseKernels.inputGradient(p.w5, F3, F2, d5, d4);
        DenseKernels.activationBackward(s4, d4, F2, sigmoid);

        DenseKernels.weightGradient(d4, F2, s3T, F1_PAD, gw4);
        DenseKernels.biasGradient(d4, F2, gb4);
        DenseKernels.inputGradient(p.w4, F2, F1, d4, d3);
        DenseKernels.activationBackward(s3, d3, F1, sigmoid);
        lap(Kernel.FC32_BACKWARD);

        DenseKernels.weightGradient(d3, F1, x3T, F0_PAD, gw3);
        DenseKernels.biasGradient(d3, F1, gb3);
        lap(Kernel.FC1_WEIGHT_GRADIENT);
        DenseKernels.inputGradient(p.w3, F1, F0, d3, dx3);
        lap(Kernel.FC1_INPUT_GRADIENT);

        ConvKernels.poolActivationBackward(s2, C2, H2, dx3, sigmoid, maxPool); // s2 -> dz2
        lap(Kernel.POOL2_BACKWARD);
        ConvKernels.conv2WeightGradient(x2, s2, gw2, gb2);
        lap(Kernel.CONV2_WEIGHT_GRADIENT);
        ConvKernels.conv2InputGradient(p.w2, s2, dx2);
        lap(Kernel.CONV2_INPUT_GRADIENT);
        ConvKernels.poolActivationBackward(s1, C1, H1, dx2, sigmoid, maxPool); // s1 -> dz1
        lap(Kernel.POOL1_BACKWARD);
        ConvKernels.conv1WeightGradient(in, s1, gw1, gb1);
        lap(Kernel.CONV1_WEIGHT_GRADIENT);
    }

    /**
     * The parts of a tile's work, in the order they run, with their floating-point operations per
     * image (a multiply-add counts two), for {@code lenet bench}'s table.
     */
    enum Kernel {
        LOAD("load images into the tile", 0),
        CONV1_FORWARD("conv1 forward", 2L * 6 * 784 * 25),
        ACTIVATE_POOL1("activation + pool1", 0),
        CONV2_FORWARD("conv2 forward", 2L * 16 * 100 * 150),
        ACTIVATE_POOL2("activation + pool2", 0),
        FC1_FORWARD("fc1 forward + activation", 2L * 120 * 400),
        FC23_FORWARD("fc2, fc3 forward", 2L * (84 * 120 + 10 * 84)),
        TRANSPOSE("image-major copies for dW", 0),
        LOSS("softmax cross-entropy", 0),
        FC32_BACKWARD("fc3, fc2 backward", 2L * 2 * (84 * 120 + 10 * 84)),
        FC1_WEIGHT_GRADIENT("fc1 weight gradient", 2L * 120 * 400),
        FC1_INPUT_GRADIENT("fc1 input gradient", 2L * 120 * 400),
        POOL2_BACKWARD("pool2 + activation backward", 0),
        CONV2_WEIGHT_GRADIENT("conv2 weight gradient", 2L * 16 * 100 * 150),
        CONV2_INPUT_GRADIENT("conv2 input gradient", 2L * 16 * 100 * 150),
        POOL1_BACKWARD("pool1 + activation backward", 0),
        CONV1_WEIGHT_GRADIENT("conv1 weight gradient", 2L * 6 * 784 * 25),
        LANE_SUMS("gradients: lane sums (per thread)", 0);

        final String label;
        final long flopsPerImage;

        Kernel(String label, long flopsPerImage) {
            this.label = label;
            this.flopsPerImage = flopsPerImage;
        }
    }

    /** Nanoseconds spent in each {@link Kernel} while profiling, else null. */
    private long[] profile;
    private long mark;

    /** Starts adding each kernel's time into {@code nanos} (indexed by {@link Kernel#ordinal()}); null stops. */
    void profile(long[] nanos) {
        this.profile = nanos;
    }

    /** Marks the start of timed work. */
    void startLaps() {
        if (profile != null) mark = System.nanoTime();
    }

    /** Adds the time since the last mark to {@code kernel}. */
    void lap(Kernel kernel) {
        if (profile != null) {
            long now = System.nanoTime();
            profile[kernel.ordinal()] += now - mark;
            mark = now;
        }
    }

    void zeroGradients() {
        for (float[] g : new float[][] {gw1, gb1, gw2, gb2, gw3, gb3, gw4, gb4, gw5, gb5}) Arrays.fill(g, 0f);
    }

    /**
     * This thread's gradients as plain arrays in PyTorch's layouts ({@link Params#NAMES} order):
     * each L-lane partial sum added up lane 0 first, padding columns dropped.
     */
    void reduceInto(float[][] g) {
        laneSums(gw1, g[0]);
        laneSums(gb1, g[1]);
        laneSums(gw2, g[2]);
        laneSums(gb2, g[3]);
        unpad(gw3, F1, F0, F0_PAD, g[4]);
        laneSums(gb3, g[5]);
        unpad(gw4, F2, F1, F1_PAD, g[6]);
        laneSums(gb4, g[7]);
        unpad(gw5, F3, F2, F2_PAD, g[8]);
        laneSums(gb5, g[9]);
    }

    private static void laneSums(float[] partial, float[] out) {
        for (int e = 0; e < out.length; e++) {
            float s = 0;
            for (int n = 0; n < L; n++) s += partial[e * L + n];
            out[e] = s;
        }
    }

    private static void unpad(float[] padded, int rows, int cols, int stride, float[] out) {
        for (int r = 0; r < rows; r++) System.arraycopy(padded, r * stride, out, r * cols, cols);
    }
}
