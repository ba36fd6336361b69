package lenet.image;

/**
 * Changing an image's size: area averaging to shrink (and to fit MNIST's 20x20 box), bilinear
 * interpolation to enlarge small images before they are binarized.
 */
public final class Resample {
    private Resample() {}

    /**
     * Area averaging (a box filter over each output pixel's exact footprint): output pixel i of an
     * axis of n source cells resized to m covers the source interval [i*n/m, (i+1)*n/m), and its
     * value is the mean of the source over that interval, each source cell weighted by how much of
     * it lies inside:
     *
     * <pre>
     *   out[i] = (m / n) * sum_j overlap([j, j+1), [i*n/m, (i+1)*n/m)) * src[j]
     * </pre>
     *
     * This is what a camera sensor does, and what the anti-aliasing that made MNIST's grey levels
     * does: every bit of ink ends up in the output, in proportion to its area, so a thin stroke
     * becomes a fainter pixel instead of vanishing (nearest neighbour) or turning jagged. The two
     * axes are separable: rows first, then columns. Enlarging with it (m > n) repeats pixels, blending
     * only where a source edge falls inside an output pixel.
     */
    public static GreyImage areaAverage(GreyImage src, int outW, int outH) {
        if (outW < 1 || outH < 1) throw new IllegalArgumentException("output must be at least 1x1, was " + outW + "x" + outH);
        Footprints fx = new Footprints(src.width(), outW);
        Footprints fy = new Footprints(src.height(), outH);
        // Rows: [H, W] -> [H, outW].
        float[] rows = new float[src.height() * outW];
        for (int y = 0; y < src.height(); y++) {
            int base = y * src.width();
            for (int i = 0; i < outW; i++) {
                double sum = 0;
                for (int k = 0; k < fx.count[i]; k++) sum += fx.weight[i][k] * src.v()[base + fx.first[i] + k];
                rows[y * outW + i] = (float) sum;
            }
        }
        // Columns: [H, outW] -> [outH, outW].
        float[] out = new float[outH * outW];
        for (int j = 0; j < outH; j++) {
            for (int k = 0; k < fy.count[j]; k++) {
                double w = fy.weight[j][k];
                int srcRow = (fy.first[j] + k) * outW;
                for (int x = 0; x < outW; x++) out[j * outW + x] += (float) (w * rows[srcRow + x]);
            }
        }
        return new GreyImage(outW, outH, out);
    }

    /** For each output cell of one axis: the first source cell it overlaps and the weights (summing to 1). */
    private static final class Footprints {
        final int[] first;
        final int[] count;
        final double[][] weight;

        Footprints(int n, int m) {
            first = new int[m];
            count = new int[m];
            weight = new double[m][];
            for (int i = 0; i < m; i++) {
                // [lo, hi) in source coordinates; computed from integers so a whole-number ratio is exact.
                double lo = (double) i * n / m;
                double hi = (double) (i + 1) * n / m;
                int j0 = (int) Math.floor(lo);
                int j1 = Math.min(n, (int) Math.ceil(hi));
                first[i] = j0;
                count[i] = j1 - j0;
                weight[i] = new double[j1 - j0];
                for (int j = j0; j < j1; j++) {
                    double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
                    weight[i][j - j0] = overlap / (hi - lo);
                }
            }
        }
    }

    /**
     * Bilinear interpolation, sampling the source at each output pixel's centre: output (x, y) looks
     * at source point ((x + 0.5) * w / outW - 0.5, (y + 0.5) * h / outH - 0.5) and blends the four
     * pixels around it by their distances. Used only to enlarge, where it gives smooth edges that a
     * threshold can follow (area averaging would give staircases).
     */
    public static GreyImage bilinear(GreyImage src, int outW, int outH) {
        if (outW < 1 || outH < 1) throw new IllegalArgumentException("output must be at least 1x1, was " + outW + "x" + outH);
        float[] out = new float[outW * outH];
        double sx = (double) src.width() / outW, sy = (double) src.height() / outH;
        for (int y = 0; y < outH; y++) {
            double fy = clamp((y + 0.5) * sy - 0.5, src.height() - 1);
            int y0 = (int) fy, y1 = Math.min(y0 + 1, src.height() - 1);
            double ty = fy - y0;
            for (int x = 0; x < outW; x++) {
                double fx = clamp((x + 0.5) * sx - 0.5, src.width() - 1);
                int x0 = (int) fx, x1 = Math.min(x0 + 1, src.width() - 1);
                double tx = fx - x0;
                double top = (1 - tx) * src.get(x0, y0) + tx * src.get(x1, y0);
                double bottom = (1 - tx) * src.get(x0, y1) + tx * src.get(x1, y1);
                out[y * outW + x] = (float) ((1 - ty) * top + ty * bottom);
            }
        }
        return new GreyImage(outW, outH, out);
    }

    private static double clamp(double v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
