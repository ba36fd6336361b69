package lenet.engine.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * numpy's allclose rule for float arrays, as {@code lenet.engine.nd4j.Compare} has it: an entry passes when
 * |actual - expected| <= atol + rtol * |expected|; a failure names the worst entry.
 */
final class Close {
    private Close() {}

    static void assertAllClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        int failures = 0, worst = -1;
        double worstExcess = 0, maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            maxDiff = Math.max(maxDiff, diff);
            double allowed = atol + rtol * Math.abs(expected[i]);
            if (!(diff <= allowed)) {
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
                    what, failures, expected.length, atol, rtol, worst, expected[worst], actual[worst], maxDiff));
        }
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) m = Math.max(m, Math.abs(x));
        return m;
    }

    static double maxAbsDifference(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }
}
