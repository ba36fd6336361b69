package lenet.engine.fused;

import java.util.Map;

/**
 * LeNet's forward pass and loss in plain loops over doubles, one image at a time, written for
 * reading (PyTorch's semantics: cross-correlation, zero padding, average pooling over the full
 * window, max pooling's largest value, flatten in (c, h, w) order, mean cross-entropy). The
 * fused engine's tests measure it against this: its logits, and its gradients against central
 * differences of this loss.
 */
final class ReferenceLeNet {
    private final boolean sigmoid, maxPool;
    private final double[][] p = new double[Params.NAMES.size()][];

    ReferenceLeNet(String activation, String pooling, Map<String, float[]> params) {
        this.sigmoid = activation.equals("SIGMOID");
        this.maxPool = pooling.equals("MAX");
        for (int i = 0; i < p.length; i++) {
            float[] a = params.get(Params.NAMES.get(i));
            p[i] = new double[a.length];
            for (int k = 0; k < a.length; k++) p[i][k] = a[k];
        }
    }

    private ReferenceLeNet(ReferenceLeNet from) {
        this.sigmoid = from.sigmoid;
        this.maxPool = from.maxPool;
        for (int i = 0; i < p.length; i++) p[i] = from.p[i].clone();
    }

    /** A copy with entry e of parameter {@code name} moved by delta (in double). */
    ReferenceLeNet moved(String name, int e, double delta) {
        ReferenceLeNet m = new ReferenceLeNet(this);
        m.p[Params.NAMES.indexOf(name)][e] += delta;
        return m;
    }

    /** The ten logits of one image [28][28]. */
    double[] logits(float[] images, int image) {
        double[] x = new double[28 * 28];
        for (int k = 0; k < x.length; k++) x[k] = images[image * 784 + k];
        double[] a = pool(activate(conv(x, 1, 28, p[0], p[1], 6, 2)), 6, 28);   // [6][14][14]
        a = pool(activate(conv(a, 6, 14, p[2], p[3], 16, 0)), 16, 10);          // [16][5][5] = [400]
        a = activate(linear(a, p[4], p[5], 120));
        a = activate(linear(a, p[6], p[7], 84));
        return linear(a, p[8], p[9], 10);
    }

    /** The mean cross-entropy of n images with labels y: mean of log(sum_k e^z[k]) - z[y]. */
    double loss(float[] images, int[] y, int n) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] z = logits(images, i);
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) max = Math.max(max, v);
            double sum = 0;
            for (double v : z) sum += Math.exp(v - max);
            total += Math.log(sum) + max - z[y[i]];
        }
        return total / n;
    }

    /** out[o][i][j] = b[o] + sum over c, u, v of w[o][c][u][v] * x[c][i + u - pad][j + v - pad] (0 outside), 5x5 kernels, stride 1. */
    private static double[] conv(double[] x, int channels, int size, double[] w, double[] b, int outChannels, int pad) {
        int out = size + 2 * pad - 5 + 1;
        double[] y = new double[outChannels * out * out];
        for (int o = 0; o < outChannels; o++) {
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < out; j++) {
                    double s = b[o];
                    for (int c = 0; c < channels; c++) {
                        for (int u = 0; u < 5; u++) {
                            for (int v = 0; v < 5; v++) {
                                int r = i + u - pad, q = j + v - pad;
                                if (r >= 0 && r < size && q >= 0 && q < size) s += w[((o * channels + c) * 5 + u) * 5 + v] * x[(c * size + r) * size + q];
                            }
                        }
                    }
                    y[(o * out + i) * out + j] = s;
                }
            }
        }
        return y;
    }

    private double[] activate(double[] z) {
        for (int k = 0; k < z.length; k++) z[k] = sigmoid ? 1 / (1 + Math.exp(-z[k])) : Math.max(0, z[k]);
        return z;
    }

    /** 2x2, stride 2: the mean (average) or the largest (max) of each window. */
    private double[] pool(double[] x, int channels, int size) {
        int out = size / 2;
        double[] y = new double[channels * out * out];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < out; j++) {
                    int at = (c * size + 2 * i) * size + 2 * j;
                    double a = x[at], b = x[at + 1], d = x[at + size], e = x[at + size + 1];
                    y[(c * out + i) * out + j] = maxPool ? Math.max(Math.max(a, b), Math.max(d, e)) : (a + b + d + e) / 4;
                }
            }
        }
        return y;
    }

    /** y[j] = b[j] + sum over i of w[j][i] x[i]. */
    private static double[] linear(double[] x, double[] w, double[] b, int out) {
        double[] y = new double[out];
        for (int j = 0; j < out; j++) {
            double s = b[j];
            for (int i = 0; i < x.length; i++) s += w[j * x.length + i] * x[i];
            y[j] = s;
        }
        return y;
    }
}
