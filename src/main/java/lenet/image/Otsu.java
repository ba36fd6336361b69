package lenet.image;

/**
 * Otsu's threshold (N. Otsu, "A Threshold Selection Method from Gray-Level Histograms", 1979): the
 * level that splits a set of values into two classes with the largest between-class variance.
 *
 * <p>With the values histogrammed into 256 bins, class 0 the bins up to t and class 1 the rest, each
 * with its weight (count) w and mean mu, the between-class variance is
 *
 * <pre>
 *   sigma_b^2(t) = w0(t) * w1(t) * (mu0(t) - mu1(t))^2      (up to a constant factor)
 * </pre>
 *
 * and the total variance is the within-class plus the between-class variance, so maximising the
 * latter minimises the former: the two classes are as tight as a single cut can make them. One
 * sweep over t with running sums of the counts and of bin * count gives every w and mu.
 */
public final class Otsu {
    private Otsu() {}

    /** The threshold over the values above 0 (on a 0-1 scale, 256 bins); 0.5 when there are none. Class 1 is {@code v >= result}. */
    public static float threshold(float[] v) {
        long[] hist = new long[256];
        long n = 0;
        for (float f : v) {
            if (f <= 0) continue;
            hist[Math.min(255, (int) (f * 255))]++;
            n++;
        }
        if (n == 0) return 0.5f;
        double total = 0;
        for (int i = 0; i < 256; i++) total += i * (double) hist[i];
        double best = -1, sum0 = 0;
        long n0 = 0;
        int bestT = 127;
        for (int t = 0; t < 255; t++) {
            n0 += hist[t];
            sum0 += t * (double) hist[t];
            long n1 = n - n0;
            if (n0 == 0 || n1 == 0) continue;
            double mu0 = sum0 / n0, mu1 = (total - sum0) / n1;
            double between = (double) n0 * n1 * (mu0 - mu1) * (mu0 - mu1);
            if (between > best) {
                best = between;
                bestT = t;
            }
        }
        return (bestT + 1) / 255f; // class 1 is bins above bestT
    }
}
