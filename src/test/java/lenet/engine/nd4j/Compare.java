package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one comparison every numeric test goes through, with numpy's {@code allclose} rule:
 * an entry passes when |actual - expected| <= atol + rtol * |expected|. So rtol is the relative
 * tolerance for entries of ordinary size, and atol takes over for entries near zero, where float
 * rounding of a sum that cancels leaves an absolute, not a relative, error.
 */
final class Compare {
    private Compare() {}

    /** Shapes must match; then every entry must be close. Reports the worst entry and the largest difference. */
    static void assertAllClose(String what, INDArray expected, INDArray actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertAllClose(what, flat(expected), flat(actual), rtol, atol);
    }

    static void assertAllClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertAllClose(what, toDouble(expected), toDouble(actual), rtol, atol);
    }

    static void assertAllClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) fail(what + ": " + actual.length + " entries, expected " + expected.length);
        int failures = 0, worst = -1;
        double worstExcess = 0; // how far past its own tolerance the worst entry is
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(actual[i] - expected[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (!(diff <= allowed)) { // also catches NaN
                failures++;
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / allowed;
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (failures > 0) {
            fail(String.format("%s: %d of %d entries differ by more than atol %.1e + rtol %.1e * |expected|; "
                            + "worst at flat index %d: expected %.10g, got %.10g; max abs difference %.3e",
                    what, failures, expected.length, atol, rtol, worst, expected[worst], actual[worst], maxAbsDifference(expected, actual)));
        }
    }

    static double maxAbsDifference(double[] expected, double[] actual) {
        double max = 0;
        for (int i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
        return max;
    }

    static double maxAbs(double[] a) {
        double max = 0;
        for (double v : a) max = Math.max(max, Math.abs(v));
        return max;
    }

    /** All entries in c (row-major) order, as doubles. */
    static double[] flat(INDArray a) {
        return a.castTo(DataType.DOUBLE).dup('c').reshape(a.length()).toDoubleVector();
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
