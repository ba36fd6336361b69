package lenet.report;

import java.util.ArrayList;
import java.util.List;

/**
 * How well one class is recognised, from a confusion matrix {@code confusion[true][predicted]}:
 *
 * <pre>
 *   precision = TP / (images predicted as the class)   of the answers "d", the share that were d
 *   recall    = TP / (images of the class)             of the d's, the share found
 *   F1        = 2 precision recall / (precision + recall)   their harmonic mean
 * </pre>
 *
 * A ratio with nothing to divide by (a class never predicted, or with no images) is NaN.
 *
 * @param support   images of the class (the row's sum)
 * @param predicted images predicted as the class (the column's sum)
 */
public record ClassMetrics(int digit, long support, long predicted, long truePositives, double precision, double recall, double f1) {

    /** One entry per class, in class order. */
    public static List<ClassMetrics> of(long[][] confusion) {
        int k = confusion.length;
        List<ClassMetrics> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            long support = 0, predicted = 0;
            for (int j = 0; j < k; j++) {
                support += confusion[c][j];
                predicted += confusion[j][c];
            }
            long tp = confusion[c][c];
            double precision = predicted == 0 ? Double.NaN : (double) tp / predicted;
            double recall = support == 0 ? Double.NaN : (double) tp / support;
            double f1 = Double.isNaN(precision) || Double.isNaN(recall) ? Double.NaN
                    : precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            out.add(new ClassMetrics(c, support, predicted, tp, precision, recall, f1));
        }
        return out;
    }

    /** The unweighted mean over classes of a metric, skipping NaN (scikit-learn's "macro average"). */
    public static double macro(List<ClassMetrics> all, java.util.function.ToDoubleFunction<ClassMetrics> metric) {
        double sum = 0;
        int n = 0;
        for (ClassMetrics m : all) {
            double v = metric.applyAsDouble(m);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
