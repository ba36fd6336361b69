package lenet.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax followed by cross-entropy, averaged over the batch: PyTorch's {@code F.cross_entropy}
 * with its default {@code reduction='mean'}.
 *
 * <pre>
 *   logits z [N, K], labels y [N] in 0..K-1
 *   log p[n,k] = z[n,k] - logsumexp(z[n,:])     (shifted by the row maximum, so exp never overflows)
 *   loss       = -(1/N) sum_n log p[n, y[n]]
 * </pre>
 */
public final class SoftmaxCrossEntropy {
    private INDArray probabilities; // [N, K], kept for backward
    private INDArray oneHot;        // [N, K]

    /** The mean loss over the batch; the softmax probabilities are kept for backward and {@link #probabilities()}. */
    public double forward(INDArray logits, int[] labels) {
        long n = logits.size(0);
        int k = (int) logits.size(1);
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " rows of logits");
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(n, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(n, 1);
        INDArray logP = shifted.subiColumnVector(logSumExp);
        float[] hot = new float[Math.toIntExact(n * k)];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + (k - 1));
            hot[i * k + labels[i]] = 1f;
        }
        oneHot = Nd4j.create(hot, new long[] {n, k}, 'c').castTo(logits.dataType());
        double loss = -logP.mul(oneHot).sumNumber().doubleValue() / n;
        probabilities = Transforms.exp(logP, false);
        return loss;
    }

    /**
     * The gradient that seeds backpropagation: dLoss/dz = (softmax(z) - onehot(y)) / N. The 1/N is
     * the batch mean, so a last, smaller batch is averaged over its real size.
     */
    public INDArray backward() {
        return probabilities.sub(oneHot).divi(probabilities.size(0));
    }

    /** softmax(z) of the latest forward, [N, K]. */
    public INDArray probabilities() {
        return probabilities;
    }

    /** How many rows of the latest forward have their largest probability at the true label. */
    public int correct(int[] labels) {
        return countCorrect(probabilities, labels);
    }

    /** How many rows of {@code scores} [N, K] have their largest entry at the true label. */
    public static int countCorrect(INDArray scores, int[] labels) {
        long[] predicted = Nd4j.argMax(scores, 1).castTo(DataType.LONG).toLongVector();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) correct++;
        return correct;
    }
}
