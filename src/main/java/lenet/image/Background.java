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
     * Is the ink dark on a light ground? The ground is what most of the picture is: the median
     * brightness of all pixels, light when it is nearer the brightest pixel than the darkest.
     * (A border would be the table under a sheet of paper; ink covers well under half a page.)
     */
    public static boolean darkInk(GreyImage brightness) {
        float median = quantile(brightness.v(), 0.5f);
        return brightness.max() - median < median - brightness.min();
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
