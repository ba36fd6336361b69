package lenet.image;

/**
 * Grey-level morphology with a square window: the running maximum (dilation) and minimum
 * (erosion) over a k x k window, and the closing built from them.
 *
 * <p>A k x k maximum is a k-wide maximum along every row followed by one along every column (the
 * square is the product of two segments). Along one line, van Herk's and Gil and Werman's
 * algorithm (1992, 1993) costs three comparisons per pixel whatever k: cut the line into blocks of
 * k; {@code g[i]} is the maximum from the start of i's block to i, {@code h[i]} from i to the end of
 * its block; a window [i - r, i + r] of length k = 2r + 1 spans at most two blocks, the end of one
 * and the start of the next, so its maximum is {@code max(h[i - r], g[i + r])}. At the image's
 * edges the window is cut to the pixels that exist.
 */
public final class Morphology {
    private Morphology() {}

    /** The maximum over the k x k window centred on each pixel (k odd), cut at the edges. */
    public static GreyImage max(GreyImage img, int k) {
        return filter(img, k, true);
    }

    /** The minimum over the k x k window centred on each pixel (k odd), cut at the edges. */
    public static GreyImage min(GreyImage img, int k) {
        return filter(img, k, false);
    }

    /**
     * Closing, {@code min(max(img))}: every dark structure narrower than the window (a pen stroke)
     * is filled in with the brightness around it, while bright areas and dark areas wider than the
     * window keep their level, and straight edges between them (the edge of a shadow) stay where
     * they are. On a picture of paper it is the paper without the writing.
     */
    public static GreyImage close(GreyImage img, int k) {
        return min(max(img, k), k);
    }

    private static GreyImage filter(GreyImage img, int k, boolean max) {
        if (k < 1 || k % 2 == 0) throw new IllegalArgumentException("window must be odd and positive, was " + k);
        int w = img.width(), h = img.height();
        float[] rows = new float[w * h];
        float[] line = new float[Math.max(w, h)], out = new float[Math.max(w, h)];
        float[] g = new float[Math.max(w, h)], hh = new float[Math.max(w, h)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(img.v(), y * w, line, 0, w);
            line(line, w, k, max, out, g, hh);
            System.arraycopy(out, 0, rows, y * w, w);
        }
        float[] res = new float[w * h];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) line[y] = rows[y * w + x];
            line(line, h, k, max, out, g, hh);
            for (int y = 0; y < h; y++) res[y * w + x] = out[y];
        }
        return new GreyImage(w, h, res);
    }

    /** out[i] = max (or min) of v over [i - r, i + r] cut to [0, n), by van Herk / Gil-Werman. */
    static void line(float[] v, int n, int k, boolean max, float[] out, float[] g, float[] h) {
        int r = k / 2;
        for (int b = 0; b < n; b += k) {
            int end = Math.min(n, b + k) - 1;
            g[b] = v[b];
            for (int i = b + 1; i <= end; i++) g[i] = max ? Math.max(g[i - 1], v[i]) : Math.min(g[i - 1], v[i]);
            h[end] = v[end];
            for (int i = end - 1; i >= b; i--) h[i] = max ? Math.max(h[i + 1], v[i]) : Math.min(h[i + 1], v[i]);
        }
        for (int i = 0; i < n; i++) {
            int lo = Math.max(0, i - r), hi = Math.min(n - 1, i + r);
            if (lo / k != hi / k) out[i] = max ? Math.max(h[lo], g[hi]) : Math.min(h[lo], g[hi]);
            else if (lo % k == 0) out[i] = g[hi]; // the window starts its block: g runs from there to hi
            else out[i] = h[lo];                  // it ends its block (cut at the image's end): h runs from lo to there
        }
    }
}
