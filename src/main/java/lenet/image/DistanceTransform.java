package lenet.image;

/**
 * The exact squared Euclidean distance from every pixel to the nearest ink pixel (value above 0),
 * in linear time (Felzenszwalb and Huttenlocher, "Distance Transforms of Sampled Functions", 2012).
 *
 * <p>The squared distance separates: {@code d(x, y) = min_(p,q) ((x - p)^2 + (y - q)^2)} over ink
 * pixels (p, q) is a 1-D transform along every column (the nearest ink in the column, as a squared
 * distance f) followed by a 1-D transform along every row of f. In 1-D,
 * {@code d(q) = min_p ((q - p)^2 + f(p))} is the lower envelope of parabolas rooted at each p with
 * height f(p); one left-to-right sweep builds the envelope (each new parabola pops those it hides),
 * a second reads it off.
 *
 * <p>Thresholding the distance is the exact dilation by a disc: {@code d <= r^2} is every pixel
 * within r of ink, the stroke made r pixels thicker on each side, with round ends.
 */
public final class DistanceTransform {
    private DistanceTransform() {}

    /** Squared distances to the nearest pixel above 0, row-major like the image. */
    public static double[] squaredToInk(GreyImage img) {
        int w = img.width(), h = img.height();
        double far = (double) (w + h) * (w + h); // more than any real distance, and finite (no inf - inf)
        double[] d = new double[w * h];
        for (int i = 0; i < d.length; i++) d[i] = img.v()[i] > 0 ? 0 : far;
        int n = Math.max(w, h);
        double[] f = new double[n], out = new double[n], z = new double[n + 1];
        int[] v = new int[n];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) f[y] = d[y * w + x];
            envelope(f, h, out, v, z);
            for (int y = 0; y < h; y++) d[y * w + x] = out[y];
        }
        for (int y = 0; y < h; y++) {
            System.arraycopy(d, y * w, f, 0, w);
            envelope(f, w, out, v, z);
            System.arraycopy(out, 0, d, y * w, w);
        }
        return d;
    }

    /** Every pixel within Euclidean distance r of ink becomes 1, the rest 0 (a dilation by a disc of radius r). */
    public static GreyImage dilate(GreyImage img, double r) {
        double[] d2 = squaredToInk(img);
        float[] out = new float[d2.length];
        for (int i = 0; i < out.length; i++) out[i] = d2[i] <= r * r ? 1 : 0;
        return new GreyImage(img.width(), img.height(), out);
    }

    /** Squared distances to the nearest pixel at 0 (paper), row-major; the image's outside does not count as paper. */
    public static double[] squaredToPaper(GreyImage img) {
        float[] paper = new float[img.v().length];
        for (int i = 0; i < paper.length; i++) paper[i] = img.v()[i] > 0 ? 0 : 1;
        return squaredToInk(new GreyImage(img.width(), img.height(), paper));
    }

    /** Every ink pixel within Euclidean distance r of paper becomes 0, the rest of the ink 1 (an erosion by a disc of radius r). */
    public static GreyImage erode(GreyImage img, double r) {
        double[] d2 = squaredToPaper(img);
        float[] out = new float[d2.length];
        for (int i = 0; i < out.length; i++) out[i] = img.v()[i] > 0 && d2[i] > r * r ? 1 : 0;
        return new GreyImage(img.width(), img.height(), out);
    }

    /** 1-D: out[q] = min over p of (q - p)^2 + f[p], for q, p in 0..n-1. */
    private static void envelope(double[] f, int n, double[] out, int[] v, double[] z) {
        int k = 0;
        v[0] = 0;
        z[0] = Double.NEGATIVE_INFINITY;
        z[1] = Double.POSITIVE_INFINITY;
        for (int q = 1; q < n; q++) {
            // Where the parabola from q overtakes the rightmost one on the envelope.
            double s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            while (s <= z[k]) {
                k--;
                s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = Double.POSITIVE_INFINITY;
        }
        k = 0;
        for (int q = 0; q < n; q++) {
            while (z[k + 1] < q) k++;
            double dq = q - v[k];
            out[q] = dq * dq + f[v[k]];
        }
    }
}
