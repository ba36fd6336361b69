package lenet.nn;

import lenet.model.Window;

import java.util.Arrays;
import java.util.Map;
import lenet.io.NdArray;

/**
 * LeNet's forward pass (inference only) in plain Java over {@code float[]}: the network of
 * {@link LeNet}, with the same weights and PyTorch's semantics, without ND4J.
 *
 * <p>Why it exists: one image is about 0.3 million multiply-adds, well under a millisecond in plain
 * loops, while ND4J needs a few tenths of a second to load its native library and run its first
 * ops. {@code lenet predict} classifies a few images here and many with ND4J's batched kernels
 * (see {@code lenet.train.Predictor}).
 *
 * <p>One image at a time (N = 1), every array float32 in C order (row-major), as PyTorch stores it:
 *
 * <pre>
 *   input                          [1, 28, 28]     pixel / 255
 *   conv1  5x5, 1->6, pad 2   act  [6, 28, 28]
 *   pool   2x2, stride 2           [6, 14, 14]
 *   conv2  5x5, 6->16         act  [16, 10, 10]
 *   pool   2x2, stride 2           [16, 5, 5]
 *   flatten                        [400]           (C, H, W order: the memory order of [16, 5, 5] already)
 *   fc1    400->120           act  [120]
 *   fc2    120->84            act  [84]
 *   fc3    84->10                  [10]            logits
 * </pre>
 *
 * The layers are the static methods below, each with its formula; they keep nothing, since there
 * is no backward pass.
 */
public final class PlainLeNet {
    private final LeNet.Activation activation;
    private final LeNet.Pooling pooling;
    private final float[] conv1Weight, conv1Bias, conv2Weight, conv2Bias;
    private final float[] fc1Weight, fc1Bias, fc2Weight, fc2Bias, fc3Weight, fc3Bias;

    /**
     * The network holding {@code weights}, keyed by PyTorch name ({@code conv1.weight} ...
     * {@code fc3.bias}), each with its shape from {@link LeNet#PARAM_SHAPES}. The arrays are used,
     * not copied.
     */
    public PlainLeNet(LeNet.Activation activation, LeNet.Pooling pooling, Map<String, NdArray> weights) {
        for (Map.Entry<String, long[]> expected : LeNet.PARAM_SHAPES.entrySet()) {
            NdArray a = weights.get(expected.getKey());
            if (a == null) throw new IllegalArgumentException("missing array " + expected.getKey());
            if (!Arrays.equals(a.shape(), expected.getValue())) {
                throw new IllegalArgumentException(expected.getKey() + " has shape " + Arrays.toString(a.shape())
                        + ", LeNet needs " + Arrays.toString(expected.getValue()));
            }
        }
        this.activation = activation;
        this.pooling = pooling;
        conv1Weight = weights.get("conv1.weight").data();
        conv1Bias = weights.get("conv1.bias").data();
        conv2Weight = weights.get("conv2.weight").data();
        conv2Bias = weights.get("conv2.bias").data();
        fc1Weight = weights.get("fc1.weight").data();
        fc1Bias = weights.get("fc1.bias").data();
        fc2Weight = weights.get("fc2.weight").data();
        fc2Bias = weights.get("fc2.bias").data();
        fc3Weight = weights.get("fc3.weight").data();
        fc3Bias = weights.get("fc3.bias").data();
    }

    /** The ten logits of one image: {@code image} is [1, 28, 28], 784 values (pixel / 255), row by row. */
    public float[] logits(float[] image) {
        int side = LeNet.IMAGE_SIZE;
        if (image.length != side * side) throw new IllegalArgumentException("an image has " + side * side + " values, not " + image.length);
        float[] x = conv2d(image, 1, side, side, conv1Weight, conv1Bias, 6, 5, 2); // [6, 28, 28]
        activate(x);
        x = pool2d(x, 6, 28, 28);                                                // [6, 14, 14]
        x = conv2d(x, 6, 14, 14, conv2Weight, conv2Bias, 16, 5, 0);             // [16, 10, 10]
        activate(x);
        x = pool2d(x, 16, 10, 10);                                               // [16, 5, 5], read as [400]
        x = linear(x, fc1Weight, fc1Bias);                                       // [120]
        activate(x);
        x = linear(x, fc2Weight, fc2Bias);                                       // [84]
        activate(x);
        return linear(x, fc3Weight, fc3Bias);                                    // [10]
    }

    public LeNet.Activation activation() {
        return activation;
    }

    public LeNet.Pooling pooling() {
        return pooling;
    }

    private void activate(float[] x) {
        if (activation == LeNet.Activation.SIGMOID) sigmoid(x);
        else relu(x);
    }

    private float[] pool2d(float[] x, int channels, int height, int width) {
        return pooling == LeNet.Pooling.AVG ? avgPool2d(x, channels, height, width, 2, 2) : maxPool2d(x, channels, height, width, 2, 2);
    }

    /**
     * Convolution with stride 1 and zero padding {@code p} on every side; cross-correlation (no
     * kernel flip, as in PyTorch):
     *
     * <pre>
     *   in [C, H, W]   weight [OC, C, K, K]   bias [OC]   ->   out [OC, OH, OW],  OH = H + 2p - K + 1
     *   out[o][y][x] = bias[o] + sum over c, u, v of weight[o][c][u][v] * in[c][y + u - p][x + v - p]
     * </pre>
     *
     * with {@code in} zero outside the image. Loop order: for one output channel o, input channel c
     * and kernel tap (u, v), the weight is one number w, and {@code out[o][y][x] += w * in[c][y + u - p][x + v - p]}
     * runs along whole rows of {@code out} and {@code in}, which lie contiguous in memory. The
     * padding is not materialised: the ranges of y and x are clipped to where the input index falls
     * inside the image (the zeros outside would add nothing), so the innermost loop tests no bounds.
     */
    static float[] conv2d(float[] in, int channels, int height, int width, float[] weight, float[] bias,
                          int outChannels, int kernel, int padding) {
        int outH = Window.outputSize(height, kernel, 1, padding);
        int outW = Window.outputSize(width, kernel, 1, padding);
        float[] out = new float[outChannels * outH * outW];
        for (int o = 0; o < outChannels; o++) {
            int outPlane = o * outH * outW;
            Arrays.fill(out, outPlane, outPlane + outH * outW, bias[o]);
            for (int c = 0; c < channels; c++) {
                int inPlane = c * height * width;
                for (int u = 0; u < kernel; u++) {
                    // rows y whose input row y + u - p lies in [0, H)
                    int yFrom = Math.max(0, padding - u);
                    int yTo = Math.min(outH, height + padding - u);
                    for (int v = 0; v < kernel; v++) {
                        // columns x whose input column x + v - p lies in [0, W)
                        int xFrom = Math.max(0, padding - v);
                        int xTo = Math.min(outW, width + padding - v);
                        float w = weight[((o * channels + c) * kernel + u) * kernel + v];
                        for (int y = yFrom; y < yTo; y++) {
                            int outRow = outPlane + y * outW;
                            int inRow = inPlane + (y + u - padding) * width + (v - padding); // in[c][y + u - p][x + v - p] = in[inRow + x]
                            for (int x = xFrom; x < xTo; x++) out[outRow + x] += w * in[inRow + x];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Average pooling over K x K windows moved by {@code stride}, no padding; each window's sum is
     * divided by the full window, K * K (PyTorch's AvgPool2d):
     *
     * <pre>
     *   in [C, H, W]  ->  out [C, OH, OW],  OH = (H - K) / stride + 1
     *   out[c][y][x] = (1 / K^2) * sum over u, v of in[c][y * stride + u][x * stride + v]
     * </pre>
     */
    static float[] avgPool2d(float[] in, int channels, int height, int width, int kernel, int stride) {
        int outH = Window.outputSize(height, kernel, stride, 0);
        int outW = Window.outputSize(width, kernel, stride, 0);
        float[] out = new float[channels * outH * outW];
        float scale = 1f / (kernel * kernel);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    float sum = 0;
                    for (int u = 0; u < kernel; u++) {
                        int row = (c * height + y * stride + u) * width + x * stride;
                        for (int v = 0; v < kernel; v++) sum += in[row + v];
                    }
                    out[(c * outH + y) * outW + x] = sum * scale;
                }
            }
        }
        return out;
    }

    /**
     * Max pooling over K x K windows moved by {@code stride}, no padding:
     *
     * <pre>
     *   in [C, H, W]  ->  out [C, OH, OW],  OH = (H - K) / stride + 1
     *   out[c][y][x] = max over u, v of in[c][y * stride + u][x * stride + v]
     * </pre>
     */
    static float[] maxPool2d(float[] in, int channels, int height, int width, int kernel, int stride) {
        int outH = Window.outputSize(height, kernel, stride, 0);
        int outW = Window.outputSize(width, kernel, stride, 0);
        float[] out = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    float largest = Float.NEGATIVE_INFINITY;
                    for (int u = 0; u < kernel; u++) {
                        int row = (c * height + y * stride + u) * width + x * stride;
                        for (int v = 0; v < kernel; v++) largest = Math.max(largest, in[row + v]);
                    }
                    out[(c * outH + y) * outW + x] = largest;
                }
            }
        }
        return out;
    }

    /**
     * A dense layer with PyTorch's weight layout:
     *
     * <pre>
     *   in [IN]   weight [OUT, IN]   bias [OUT]   ->   out [OUT]
     *   out[j] = bias[j] + sum over i of weight[j][i] * in[i]
     * </pre>
     *
     * Row j of the weight is contiguous, so each output is one pass along memory.
     */
    static float[] linear(float[] in, float[] weight, float[] bias) {
        int inputs = in.length;
        if (weight.length != bias.length * inputs) {
            throw new IllegalArgumentException("weight holds " + weight.length + " values, not " + bias.length + " x " + inputs);
        }
        float[] out = new float[bias.length];
        for (int j = 0; j < out.length; j++) {
            int row = j * inputs;
            float sum = 0;
            for (int i = 0; i < inputs; i++) sum += weight[row + i] * in[i];
            out[j] = sum + bias[j];
        }
        return out;
    }

    /** sigmoid(z) = 1 / (1 + exp(-z)), in place. */
    static void sigmoid(float[] z) {
        for (int i = 0; i < z.length; i++) z[i] = (float) (1 / (1 + Math.exp(-z[i])));
    }

    /** relu(z) = max(0, z), in place. */
    static void relu(float[] z) {
        for (int i = 0; i < z.length; i++) z[i] = Math.max(0f, z[i]);
    }
}
