package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.TreeSet;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Central finite differences: the ground truth every backward pass is checked against.
 *
 * <pre>
 *   df/dx[i] ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)
 * </pre>
 *
 * The error is O(eps^2) from truncation plus about ulp(f) / eps from rounding: in double precision
 * with eps = 1e-6, 1e-10 to 1e-8 absolute for f of size 1 to 100. (In float the rounding term alone
 * would be ~1e-1: always check gradients in double.) So {@link #assertGradient} accepts an entry
 *
 * <pre>
 *   |analytic - numerical| <= 1e-6 * |numerical| + 1e-6 * max|numerical| + 10 * ulp(f) / eps
 * </pre>
 *
 * that is, within 1e-6 of itself, or of the largest entry checked (the rounding noise is the same for
 * every entry, so an entry much smaller than the rest is judged on their scale), or within the
 * rounding noise of f itself.
 */
final class GradCheck {
    static final double EPS = 1e-6;
    static final double TOLERANCE = 1e-6;
    /** How many units in the last place of f the numerical gradient's rounding noise may reach. */
    static final double ROUNDING_ULPS = 10;

    private GradCheck() {}

    /**
     * The numerical gradient of the scalar {@code f} with respect to the entries of {@code x} at the given
     * flat (row-major) indices. {@code x} is changed in place and restored, so {@code f} must read it:
     * pass a layer's input, or a parameter's value.
     */
    static double[] numericalGradient(DoubleSupplier f, INDArray x, long[] indices) {
        if (x.dataType() != DataType.DOUBLE) throw new IllegalArgumentException("gradient checks need DOUBLE arrays, got " + x.dataType());
        if (x.ordering() != 'c') throw new IllegalArgumentException("perturb a c-order array");
        double[] grad = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            long i = indices[k];
            double original = x.getDouble(i);
            x.putScalar(i, original + EPS);
            double plus = f.getAsDouble();
            x.putScalar(i, original - EPS);
            double minus = f.getAsDouble();
            x.putScalar(i, original);
            grad[k] = (plus - minus) / (2 * EPS);
        }
        return grad;
    }

    /** Asserts that backward's gradient {@code analytic} (same shape as x) matches f's numerical gradient with respect to x at the given flat indices. */
    static void assertGradient(String what, INDArray analytic, DoubleSupplier f, INDArray x, long[] indices) {
        assertArrayEquals(x.shape(), analytic.shape(), what + ": gradient shape");
        double[] numerical = numericalGradient(f, x, indices);
        double scale = Compare.maxAbs(numerical);
        double rounding = ROUNDING_ULPS * Math.ulp(f.getAsDouble()) / EPS;
        Compare.assertAllClose(what, numerical, entries(analytic, indices), TOLERANCE, TOLERANCE * scale + rounding);
    }

    /** The entries of {@code a} at the given flat indices. */
    static double[] entries(INDArray a, long[] indices) {
        double[] all = Compare.flat(a);
        double[] picked = new double[indices.length];
        for (int k = 0; k < indices.length; k++) picked[k] = all[Math.toIntExact(indices[k])];
        return picked;
    }

    /** Every flat index of x: for the tiny arrays of the layer checks. */
    static long[] allIndices(INDArray x) {
        long[] all = new long[Math.toIntExact(x.length())];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return all;
    }

    /** The first and last entry plus random ones, {@code count} distinct flat indices in all (fewer if x is smaller). */
    static long[] sampleIndices(INDArray x, int count, Random rng) {
        long n = x.length();
        TreeSet<Long> picked = new TreeSet<>();
        picked.add(0L);
        picked.add(n - 1);
        while (picked.size() < Math.min(count, n)) picked.add((long) rng.nextInt(Math.toIntExact(n)));
        return picked.stream().mapToLong(Long::longValue).toArray();
    }
}
