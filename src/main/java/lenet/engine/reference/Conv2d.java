package lenet.engine.reference;

import java.util.ArrayList;
import java.util.List;
import lenet.model.LayerSpec;
import lenet.model.Window;

/**
 * 2D convolution, PyTorch's {@code nn.Conv2d}: a cross-correlation (the kernel is NOT flipped).
 *
 * <pre>
 *   x [N, C, H, W]   weight [OC, C, KH, KW]   bias [OC]   ->   y [N, OC, OH, OW]
 *   OH = floor((H + 2 padH - KH) / strideH) + 1, likewise OW
 *   y[n,o,i,j] = bias[o] + sum_{c,u,v} weight[o,c,u,v] * xpad[n, c, i*strideH + u - padH, j*strideW + v - padW]
 * </pre>
 *
 * xpad is x with zeros outside it. Backward, for each cell's gradient g = dy[n,o,i,j] and each tap
 * (c, u, v) that falls inside x at (r, q):
 *
 * <pre>
 *   dbias[o] += g        dweight[o,c,u,v] += g * x[n,c,r,q]        dx[n,c,r,q] += g * weight[o,c,u,v]
 * </pre>
 */
final class Conv2d implements Module, Explainable {
    private final LayerSpec.Conv2d spec;
    private final int C, H, W, OC, KH, KW, OH, OW, strideH, strideW, padH, padW;
    private final double[] weight, bias; // [OC, C, KH, KW], [OC]: the model's, only read

    Conv2d(LayerSpec.Conv2d spec, int[] in, double[] weight, double[] bias) {
        int[] out = spec.outputShape(in);
        Window win = spec.window();
        this.spec = spec;
        C = in[0]; H = in[1]; W = in[2];
        OC = out[0]; OH = out[1]; OW = out[2];
        KH = win.kernelH(); KW = win.kernelW();
        strideH = win.strideH(); strideW = win.strideW(); padH = win.padH(); padW = win.padW();
        this.weight = Checks.require(spec.name() + ".weight", weight, OC * C * KH * KW);
        this.bias = Checks.require(spec.name() + ".bias", bias, OC);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) { // x [N, C, H, W] -> y [N, OC, OH, OW]
        double[] y = new double[ctx.n * OC * OH * OW];
        int k = 0;
        for (int n = 0; n < ctx.n; n++) {
            for (int o = 0; o < OC; o++) {
                for (int i = 0; i < OH; i++) {
                    for (int j = 0; j < OW; j++) y[k++] = correlate(x, n * C * H * W, o, i, j, null) + bias[o];
                }
            }
        }
        ctx.save(this, x);
        return y;
    }

    /**
     * sum_{c,u,v} weight[o,c,u,v] * xpad[c, i*strideH + u - padH, j*strideW + v - padW] for the sample
     * at {@code x[base..]}, added in c, u, v order; each tap is shown to {@code taps} unless null.
     */
    private double correlate(double[] x, int base, int o, int i, int j, Taps taps) {
        double sum = 0;
        for (int c = 0; c < C; c++) {
            for (int u = 0; u < KH; u++) {
                int r = i * strideH + u - padH;
                for (int v = 0; v < KW; v++) {
                    int q = j * strideW + v - padW;
                    double w = weight[((o * C + c) * KH + u) * KW + v];
                    boolean inside = r >= 0 && r < H && q >= 0 && q < W;
                    double xv = inside ? x[base + (c * H + r) * W + q] : 0; // zero padding adds nothing
                    if (inside) sum += w * xv;
                    if (taps != null) taps.tap(c, u, v, !inside, xv, w, inside ? w * xv : 0);
                }
            }
        }
        return sum;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) { // dOut [N, OC, OH, OW] -> dx [N, C, H, W]
        double[] x = ctx.saved(this, double[].class);
        double[] dx = new double[x.length];
        double[] dWeight = ctx.grad(spec.name() + ".weight", weight.length);
        double[] dBias = ctx.grad(spec.name() + ".bias", bias.length);
        int k = 0;
        for (int n = 0; n < ctx.n; n++) {
            int base = n * C * H * W;
            for (int o = 0; o < OC; o++) {
                for (int i = 0; i < OH; i++) {
                    for (int j = 0; j < OW; j++) {
                        double g = dOut[k++];
                        dBias[o] += g;
                        for (int c = 0; c < C; c++) {
                            for (int u = 0; u < KH; u++) {
                                int r = i * strideH + u - padH;
                                if (r < 0 || r >= H) continue;
                                for (int v = 0; v < KW; v++) {
                                    int q = j * strideW + v - padW;
                                    if (q < 0 || q >= W) continue;
                                    int wi = ((o * C + c) * KH + u) * KW + v, xi = base + (c * H + r) * W + q;
                                    dWeight[wi] += g * x[xi];
                                    dx[xi] += g * weight[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** Cell (o, i, j) of one sample's output, from its input x [C, H, W]: {@code index} is {o, i, j}. */
    @Override
    public Explanation.ConvCell explain(double[] x, int[] index, String inputStage, Then then) {
        Checks.index(spec.name(), index, new int[] {OC, OH, OW});
        int o = index[0], i = index[1], j = index[2];
        double[][][] in = new double[C][KH][KW], kernel = new double[C][KH][KW], products = new double[C][KH][KW];
        boolean[][][] padding = new boolean[C][KH][KW];
        double sum = correlate(x, 0, o, i, j, (c, u, v, pad, xv, w, p) -> {
            in[c][u][v] = xv;
            padding[c][u][v] = pad;
            kernel[c][u][v] = w;
            products[c][u][v] = p;
        });
        List<Explanation.ChannelWindow> windows = new ArrayList<>();
        for (int c = 0; c < C; c++) windows.add(new Explanation.ChannelWindow(c, in[c], padding[c], kernel[c], products[c]));
        double value = sum + bias[o]; // as forward: correlate(...) + bias[o]
        return new Explanation.ConvCell(spec.name(), inputStage, o, i, j, i * strideH - padH, j * strideW - padW,
                List.copyOf(windows), sum, bias[o], value, then.after(o, value));
    }

    /** One tap of the kernel at one output cell, for explanations. */
    @FunctionalInterface
    private interface Taps {
        void tap(int c, int u, int v, boolean padding, double x, double w, double product);
    }
}
