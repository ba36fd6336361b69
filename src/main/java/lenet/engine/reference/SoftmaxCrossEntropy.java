package lenet.engine.reference;

/**
 * Softmax cross-entropy averaged over the batch, PyTorch's {@code F.cross_entropy} on logits:
 *
 * <pre>
 *   z [N, K] logits, labels [N]
 *   p[n,k] = e^(z[n,k] - m) / sum_j e^(z[n,j] - m)      m = max_j z[n,j] (the same p, without overflow)
 *   loss   = (1/N) sum_n -log p[n, label_n] = (1/N) sum_n (log sum_j e^(z[n,j] - m) - (z[n, label_n] - m))
 *   dz     = (p - onehot(label)) / N                    this seeds backprop
 * </pre>
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /** The loss and what backward needs: the probabilities p [N, K] and the labels. */
    record Loss(double value, double[] probabilities, int[] labels, int n, int classes) {}

    static Loss forward(double[] logits, int[] labels, int n, int classes) {
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " samples");
        double[] p = new double[n * classes];
        double total = 0;
        for (int s = 0; s < n; s++) {
            int label = labels[s];
            if (label < 0 || label >= classes) throw new IllegalArgumentException("label " + label + " of sample " + s + " is not a class 0.." + (classes - 1));
            int row = s * classes;
            double m = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) m = Math.max(m, logits[row + k]);
            double sumExp = 0;
            for (int k = 0; k < classes; k++) {
                p[row + k] = Math.exp(logits[row + k] - m);
                sumExp += p[row + k];
            }
            for (int k = 0; k < classes; k++) p[row + k] /= sumExp;
            total += Math.log(sumExp) - (logits[row + label] - m); // -log p[label], without adding and removing m
        }
        return new Loss(total / n, p, labels.clone(), n, classes);
    }

    /** dL/dz = (p - onehot) / N. */
    static double[] backward(Loss loss) {
        double[] dz = new double[loss.probabilities().length];
        for (int s = 0; s < loss.n(); s++) {
            for (int k = 0; k < loss.classes(); k++) {
                int i = s * loss.classes() + k;
                dz[i] = (loss.probabilities()[i] - (k == loss.labels()[s] ? 1 : 0)) / loss.n();
            }
        }
        return dz;
    }
}
