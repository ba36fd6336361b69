package lenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Precision, recall and F1 from a confusion matrix, worked by hand. */
class ClassMetricsTest {
    @Test
    void aSmallMatrixByHand() {
        long[][] confusion = {
            {8, 2, 0},   // 10 images of class 0: 8 right, 2 called 1
            {1, 4, 0},   // 5 of class 1
            {1, 0, 0}};  // 1 of class 2, never found; nothing is ever called 2
        List<ClassMetrics> m = ClassMetrics.of(confusion);
        assertEquals(8.0 / 10, m.get(0).precision(), 1e-12); // column 0 sums to 10
        assertEquals(8.0 / 10, m.get(0).recall(), 1e-12);
        assertEquals(0.8, m.get(0).f1(), 1e-12);
        assertEquals(4.0 / 6, m.get(1).precision(), 1e-12);
        assertEquals(4.0 / 5, m.get(1).recall(), 1e-12);
        assertEquals(2 * (4.0 / 6) * 0.8 / (4.0 / 6 + 0.8), m.get(1).f1(), 1e-12);
        assertTrue(Double.isNaN(m.get(2).precision()), "never predicted: no precision");
        assertEquals(0.0, m.get(2).recall());
        assertTrue(Double.isNaN(m.get(2).f1()));
        assertEquals(1, m.get(2).support());
        assertEquals(0, m.get(2).predicted());
        assertEquals((0.8 + 4.0 / 6) / 2, ClassMetrics.macro(m, ClassMetrics::precision), 1e-12, "NaN left out of the mean");
    }

    @Test
    void rightAndWrongAnswersThatCancelGiveAnF1OfZero() {
        List<ClassMetrics> m = ClassMetrics.of(new long[][] {{0, 3}, {2, 0}});
        assertEquals(0.0, m.get(0).precision());
        assertEquals(0.0, m.get(0).recall());
        assertEquals(0.0, m.get(0).f1());
    }
}
