package lenet.engine.reference;

import lenet.model.LayerSpec;
import lenet.model.Window;

/**
 * Max pooling, PyTorch's {@code nn.MaxPool2d}: each channel on its own, each output cell the largest
 * value of its window; padding counts as minus infinity, so it is never the maximum.
 *
 * <pre>
 *   x [N, C, H, W]   ->   y [N, C, OH, OW]      OH = floor((H + 2 padH - KH) / strideH) + 1, likewise OW
 *   y[n,c,i,j] = max_{u,v} xpad[n, c, i*strideH + u - padH, j*strideW + v - padW]
 * </pre>
 *
 * Forward keeps where each maximum came from (the first one scanning row by row, as PyTorch);
 * backward sends each cell's gradient there and nowhere else:  dx[argmax[n,c,i,j]] += dy[n,c,i,j].
 */
final class MaxPool2d implements Module, Explainable {
    private final LayerSpec.Pool2d spec;
    private final int C, H, W, OH, OW, KH, KW, strideH, strideW, padH, padW;

    MaxPool2d(LayerSpec.Pool2d spec, int[] in) {
        int[] out = spec.outputShape(in);
        Window win = spec.window();
        this.spec = spec;
        C = in[0]; H = in[1]; W = in[2];
        OH = out[1]; OW = out[2];
        KH = win.kernelH(); KW = win.kernelW();
        strideH = win.strideH(); strideW = win.strideW(); padH = win.padH(); padW = win.padW();
        AvgPool2d.checkPadding(spec);
    }

    @Override
    public LayerSpec spec() {
        return spec;
    }

    @Override
    public double[] forward(Context ctx, double[] x) { // x [N, C, H, W] -> y [N, C, OH, OW]
        double[] y = new double[ctx.n * C * OH * OW];
        int[] argmax = new int[y.length]; // flat index into x of each cell's maximum
        int k = 0;
        for (int n = 0; n < ctx.n; n++) {
            for (int c = 0; c < C; c++) {
                int plane = (n * C + c) * H * W;
                for (int i = 0; i < OH; i++) {
                    for (int j = 0; j < OW; j++, k++) {
                        argmax[k] = plane + argmax(x, plane, i, j, null);
                        y[k] = x[argmax[k]];
                    }
                }
            }
        }
        ctx.save(this, argmax);
        return y;
    }

    /**
     * The offset (r * W + q) of the largest value in the window of cell (i, j) of the plane at
     * {@code x[plane..]}: the first cell inside the input, then any strictly larger one (or NaN, which
     * PyTorch lets through), scanning row by row. Each window cell is shown to {@code cells} unless null.
     */
    private int argmax(double[] x, int plane, int i, int j, Cells cells) {
        int best = -1;
        double max = Double.NEGATIVE_INFINITY;
        for (int u = 0; u < KH; u++) {
            int r = i * strideH + u - padH;
            for (int v = 0; v < KW; v++) {
                int q = j * strideW + v - padW;
                boolean inside = r >= 0 && r < H && q >= 0 && q < W;
                double xv = inside ? x[plane + r * W + q] : Double.NEGATIVE_INFINITY;
                if (inside && (best < 0 || xv > max || Double.isNaN(xv))) {
                    best = r * W + q;
                    max = xv;
                }
                if (cells != null) cells.cell(u, v, !inside, xv);
            }
        }
        return best;
    }

    @Override
    public double[] backward(Context ctx, double[] dOut) { // dOut [N, C, OH, OW] -> dx [N, C, H, W]
        int[] argmax = ctx.saved(this, int[].class);
        double[] dx = new double[ctx.n * C * H * W];
        for (int k = 0; k < dOut.length; k++) dx[argmax[k]] += dOut[k];
        return dx;
    }

    /** Cell (c, i, j) of one sample's output, from its input x [C, H, W]. */
    @Override
    public Explanation.MaxPoolCell explain(double[] x, int[] index, String inputStage, Then then) {
        Checks.index(spec.name(), index, new int[] {C, OH, OW});
        int c = index[0], i = index[1], j = index[2];
        double[][] window = new double[KH][KW];
        boolean[][] padding = new boolean[KH][KW];
        int best = argmax(x, c * H * W, i, j, (u, v, pad, xv) -> {
            window[u][v] = xv;
            padding[u][v] = pad;
        });
        int top = i * strideH - padH, left = j * strideW - padW;
        double value = x[c * H * W + best]; // as forward: y = x[argmax]
        return new Explanation.MaxPoolCell(spec.name(), inputStage, c, i, j, top, left, window, padding,
                best / W - top, best % W - left, value, then.after(c, value));
    }

    /** One cell of a pooling window, for explanations. */
    @FunctionalInterface
    interface Cells {
        void cell(int u, int v, boolean padding, double x);
    }
}
