package lenet.engine.reference;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one comparison the numeric tests go through, numpy's {@code allclose} rule: an entry passes
 * when |actual - expected| <= atol + rtol * |expected|. A failure names the worst entry.
 */
final class Close {
    private Close() {}

    static void assertAllClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        if (expected.length != actual.length) fail(what + ": " + actual.length + " entries, expected " + expected.length);
        int failures = 0, worst = -1;
        double worstExcess = 0;
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
            fail(String.format("%s: %d of %d entries differ by more than atol %.1e + rtol %.1e * |expected|; worst at %d: expected %.10g, got %.10g; max abs difference %.3e",
                    what, failures, expected.length, atol, rtol, worst, expected[worst], actual[worst], maxAbsDifference(expected, actual)));
        }
    }

    static void assertAllClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertAllClose(what, toDouble(expected), toDouble(actual), rtol, atol);
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

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
