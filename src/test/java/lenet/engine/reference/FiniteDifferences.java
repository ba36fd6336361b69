package lenet.engine.reference;

import java.util.Random;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;

/**
 * Central finite differences in double precision, the ground truth every backward is checked against:
 *
 * <pre>
 *   df/dx[i] ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),   eps = 1e-6
 * </pre>
 *
 * The error is O(eps^2) from truncation plus about ulp(f) / eps from rounding, so an entry passes when
 *
 * <pre>
 *   |analytic - numerical| <= 1e-6 |numerical| + 1e-6 max|numerical| + 10 ulp(f) / eps
 * </pre>
 *
 * (within 1e-6 of itself, or of the largest entry checked, or within f's rounding noise).
 */
final class FiniteDifferences {
    static final double EPS = 1e-6, TOLERANCE = 1e-6, ROUNDING_ULPS = 10;

    private FiniteDifferences() {}

    /** The numerical gradient of {@code f} with respect to x at {@code indices}; x is changed in place and restored. */
    static double[] numerical(DoubleSupplier f, double[] x, int[] indices) {
        double[] grad = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            double original = x[i];
            x[i] = original + EPS;
            double plus = f.getAsDouble();
            x[i] = original - EPS;
            double minus = f.getAsDouble();
            x[i] = original;
            grad[k] = (plus - minus) / (2 * EPS);
        }
        return grad;
    }

    /** Asserts that {@code analytic} (one entry per entry of x) matches f's numerical gradient at {@code indices}. */
    static void assertGradient(String what, double[] analytic, DoubleSupplier f, double[] x, int[] indices) {
        if (analytic.length != x.length) throw new AssertionError(what + ": gradient has " + analytic.length + " entries for " + x.length);
        double[] numerical = numerical(f, x, indices);
        double[] picked = new double[indices.length];
        for (int k = 0; k < indices.length; k++) picked[k] = analytic[indices[k]];
        double rounding = ROUNDING_ULPS * Math.ulp(f.getAsDouble()) / EPS;
        Close.assertAllClose(what, numerical, picked, TOLERANCE, TOLERANCE * Close.maxAbs(numerical) + rounding);
    }

    static int[] all(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        return all;
    }

    /** The first and last index and random ones, {@code count} distinct in all (fewer if n is smaller). */
    static int[] sample(int n, int count, Random rng) {
        TreeSet<Integer> picked = new TreeSet<>();
        picked.add(0);
        picked.add(n - 1);
        while (picked.size() < Math.min(count, n)) picked.add(rng.nextInt(n));
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Uniform values in [lo, hi). */
    static double[] uniform(Random rng, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.nextDouble();
        return a;
    }

    /** Standard normal values, none within 1e-3 of 0 (so a ReLU's kink is never within eps). */
    static double[] awayFromZero(Random rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            do a[i] = rng.nextGaussian(); while (Math.abs(a[i]) < 1e-3);
        }
        return a;
    }
}
