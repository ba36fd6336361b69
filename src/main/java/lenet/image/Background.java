package lenet.image;

/**
 * Local background estimation: the paper's brightness at every pixel, and the ink as how much
 * darker than its own paper each pixel is.
 *
 * <p>One global background level fails on photos: a shadow across the page or light falling off
 * towards a corner makes clean paper darker than ink elsewhere. Light multiplies: a pixel of paper
 * reflectance R under illumination L is seen as {@code L R}, and ink of reflectance {@code R (1 - c)}
 * as {@code L R (1 - c)}. With the paper's local brightness {@code B = L R} estimated at every pixel,
 *
 * <pre>
 *   c = (B - I) / B = 1 - I / B
 * </pre>
 *
 * is the ink's contrast whatever the light, in the shadow as in full light. B is the morphological
 * closing of the image ({@link Morphology#close}) with a window wider than the strokes: the writing
 * is filled in with the paper around it, while a shadow wider than the window keeps its level, and
 * the straight edge of a hard shadow stays where it is (a blur would smear it into a band of false
 * ink). For light ink on a dark ground (chalk, a screen) the same holds for {@code 1 - I}.
 *
 * <p>Paper grain, sensor noise and JPEG ripples leave small contrasts everywhere. Ink covers a
 * small part of the picture, so the median m of c over all pixels and its median absolute
 * deviation (over the pixels of contrast under 0.25) describe the paper's noise, and the floor {@code m + 4 * 1.4826 * MAD} (four standard
 * deviations for Gaussian noise) separates it from ink.
 */
public final class Background {
    private Background() {}

    /**
     * The ink found in a picture.
     *
     * @param ink       0 paper to 1 the strongest ink: {@code clamp((c - floor) / (peak - floor), 0, 1)}
     * @param paper     the estimated background brightness B (in the polarity where ink is dark)
     * @param inverted  ink was light on a dark ground (1 - I was used)
     * @param peak      the strongest contrast c found (robust: the largest 3x3 minimum)
     * @param floor     the paper's noise level of c
     */
    public record Ink(GreyImage ink, GreyImage paper, boolean inverted, float peak, float floor) {
        /** The strongest ink's contrast above the paper's noise. */
        public float contrast() {
            return peak - floor;
        }
    }

    /**
     * Is the ink dark on a light ground? Ink is what stands out from its surroundings: each pixel is
     * compared with the mean of the k x k window around it (a box filter, from a summed-area table),
     * and the pixels more than 35% of the picture's range darker than their surroundings are
     * counted against those more than that brighter. Thin strokes stand out of their neighbourhood
     * far more than the paper between them does, so the larger count is the ink's side. Edges of
     * large areas (a shadow, a sheet on a table) stand out on both sides equally and cancel; a
     * global rule (the median brightness, the border) fails when a shadow or a table covers most
     * of the picture.
     */
    public static boolean darkInk(GreyImage brightness, int k) {
        int w = brightness.width(), h = brightness.height();
        double[] sum = new double[(w + 1) * (h + 1)]; // sum[y][x]: the total of the pixels above and left of (x, y)
        for (int y = 0; y < h; y++) {
            double row = 0;
            for (int x = 0; x < w; x++) {
                row += brightness.get(x, y);
                sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
            }
        }
        float t = 0.35f * (brightness.max() - brightness.min());
        int r = k / 2;
        long darker = 0, brighter = 0;
        for (int y = 0; y < h; y++) {
            int y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
            for (int x = 0; x < w; x++) {
                int x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
                double total = sum[y1 * (w + 1) + x1] - sum[y0 * (w + 1) + x1] - sum[y1 * (w + 1) + x0] + sum[y0 * (w + 1) + x0];
                double d = brightness.get(x, y) - total / ((long) (x1 - x0) * (y1 - y0));
                if (d < -t) darker++;
                else if (d > t) brighter++;
            }
        }
        return darker >= brighter;
    }

    /** The ink of {@code brightness} (0 black, 1 white), dark ink on light paper when {@code darkInk}, with a background window of k x k (k odd). */
    public static Ink ink(GreyImage brightness, boolean darkInk, int k) {
        int w = brightness.width(), h = brightness.height();
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) p[i] = darkInk ? brightness.v()[i] : 1 - brightness.v()[i];
        GreyImage picture = new GreyImage(w, h, p);
        GreyImage paper = Morphology.close(picture, k);
        float[] c = new float[p.length];
        for (int i = 0; i < c.length; i++) {
            float b = paper.v()[i];
            c[i] = Math.max(0, (b - p[i]) / Math.max(b, 0.05f)); // a near-black "paper" is not divided into noise
        }
        // The paper's noise, from the pixels of contrast under 0.25 (ink is rarely that faint, while
        // a table around a sheet, filled in by the closing where it is narrower than the window,
        // can be most of the picture and of high contrast).
        int n = 0;
        float[] low = new float[c.length];
        for (float f : c) if (f < 0.25f) low[n++] = f;
        low = java.util.Arrays.copyOf(low, Math.max(1, n));
        float median = quantile(low, 0.5f);
        float[] dev = new float[low.length];
        for (int i = 0; i < low.length; i++) dev[i] = Math.abs(low[i] - median);
        float floor = median + 4 * 1.4826f * quantile(dev, 0.5f);
        float peak = Morphology.min(new GreyImage(w, h, c), 3).max();
        float[] out = new float[c.length];
        float span = Math.max(1e-6f, peak - floor);
        for (int i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(1, (c[i] - floor) / span));
        return new Ink(new GreyImage(w, h, out), paper, !darkInk, peak, floor);
    }

    /** The q-quantile of values in [0, 1], from a 4096-bin histogram (to 1/4096). */
    static float quantile(float[] v, float q) {
        int bins = 4096;
        int[] hist = new int[bins];
        for (float f : v) hist[Math.max(0, Math.min(bins - 1, (int) (f * (bins - 1) + 0.5f)))]++;
        long want = (long) Math.ceil(q * v.length), seen = 0;
        for (int b = 0; b < bins; b++) {
            seen += hist[b];
            if (seen >= Math.max(1, want)) return b / (float) (bins - 1);
        }
        return 1;
    }
}
