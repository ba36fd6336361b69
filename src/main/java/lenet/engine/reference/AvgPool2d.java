package lenet.engine.reference;

import lenet.model.LayerSpec;
import lenet.model.Window;

/**
 * Average pooling, PyTorch's {@code nn.AvgPool2d} with {@code count_include_pad=True}: each channel
 * on its own, each output cell the sum of its window divided by the FULL window size KH * KW, the
 * padding counting as zeros.
 *
 * <pre>
 *   x [N, C, H, W]   ->   y [N, C, OH, OW]      OH = floor((H + 2 padH - KH) / strideH) + 1, likewise OW
 *   y[n,c,i,j] = (1 / (KH KW)) sum_{u,v} xpad[n, c, i*strideH + u - padH, j*strideW + v - padW]
 * </pre>
 *
 * Backward spreads each cell's gradient evenly over the window's cells inside x:
 * dx[n,c,r,q] += dy[n,c,i,j] / (KH KW).
 */
final class AvgPool2d implements Module, Explainable {
    private final LayerSpec.Pool2d spec;
    private final int C, H, W, OH, OW, KH, KW, strideH, strideW, padH, padW;

    AvgPool2d(LayerSpec.Pool2d spec, int[] in) {
        int[] out = spec.outputShape(in);
        Window win = spec.window();
        this.spec = spec;
        C = in[0]; H = in[1]; W = in[2];
        OH = out[1]; OW = out[2];
        KH = win.kernelH(); KW = win.kernelW();
        strideH = win.strideH(); strideW = win.strideW(); padH = win.padH(); padW = win.padW();
        checkPadding(spec);
    }

    /** PyTorch's rule for both poolings: padding at most half the kernel, so no window lies wholly in the padding. */
    static void checkPadding(LayerSpec.Pool2d spec) {
        Window w = spec.window();
        if (w.padH() > w.kernelH() / 2 || w.padW() > w.kernelW() / 2) {
            throw new IllegalArgumentException(spec.name() + ": pooling padding " + w.padH() + "x" + w.padW()
                    + " is more than half the window " + w.kernelH() + "x" + w.kernelW() + "; use at most " + w.kernelH() / 2 + "x" + w.kernelW() / 2);
        }
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) { // x [N, C, H, W] -> y [N, C, OH, OW]
        double[] y = new double[ctx.n * C * OH * OW];
        int k = 0;
        for (int n = 0; n < ctx.n; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W;
                for (int i = 0; i < OH; i++) {
                    for (int j = 0; j < OW; j++) y[k++] = windowSum(x, plane, i, j, null) / (KH * KW);
                }
            }
        }
        return y; // backward needs no saved values: only the shapes
    }

    /** The sum of the window of cell (i, j) of the plane at {@code x[plane..]}, row by row; padding adds nothing. */
    private double windowSum(double[] x, int plane, int i, int j, MaxPool2d.Cells cells) {
        double sum = 0;
        for (int u = 0; u < KH; u++) {
            int r = i * strideH + u - padH;
            for (int v = 0; v < KW; v++) {
                int q = j * strideW + v - padW;
                boolean inside = r >= 0 && r < H && q >= 0 && q < W;
                double xv = inside ? x[plane + r * W + q] : 0;
                if (inside) sum += xv;
                if (cells != null) cells.cell(u, v, !inside, xv);
            }
        }
        return sum;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) { // dOut [N, C, OH, OW] -> dx [N, C, H, W]
        double[] dx = new double[ctx.n * C * H * W];
        int k = 0;
        for (int n = 0; n < ctx.n; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W;
                for (int i = 0; i < OH; i++) {
                    for (int j = 0; j < OW; j++) {
                        double g = dOut[k++] / (KH * KW);
                        for (int u = 0; u < KH; u++) {
                            int r = i * strideH + u - padH;
                            if (r < 0 || r >= H) continue;
                            for (int v = 0; v < KW; v++) {
                                int q = j * strideW + v - padW;
                                if (q >= 0 && q < W) dx[plane + r * W + q] += g;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** Cell (c, i, j) of one sample's output, from its input x [C, H, W]. */
    @Override
    public Explanation.AvgPoolCell explain(double[] x, int[] index, String inputStage, Then then) {
        Checks.index(spec.name(), index, new int[] {C, OH, OW});
        int c = index[0], i = index[1], j = index[2];
        double[][] window = new double[KH][KW];
        boolean[][] padding = new boolean[KH][KW];
        double sum = windowSum(x, c * H * W, i, j, (u, v, pad, xv) -> {
            window[u][v] = xv;
            padding[u][v] = pad;
        });
        double value = sum / (KH * KW); // as forward
        return new Explanation.AvgPoolCell(spec.name(), inputStage, c, i, j, i * strideH - padH, j * strideW - padW,
                window, padding, sum, KH * KW, value, then.after(c, value));
    }
}
