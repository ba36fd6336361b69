package lenet.engine.nd4j;

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
 *   dz         = (softmax(z) - onehot(y)) / N   this seeds backprop; the 1/N is the batch mean
 * </pre>
 *
 * Stateless: forward returns what backward needs. The same in plain loops: {@code lenet.engine.reference.SoftmaxCrossEntropy}.
 */
final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /** The mean loss and what backward needs: softmax(z) [N, K] and onehot(y) [N, K]. */
    record Loss(double value, INDArray probabilities, INDArray oneHot) {}

    static Loss forward(INDArray logits, int[] labels) {
        long n = logits.size(0);
        int k = (int) logits.size(1);
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " rows of logits");
        float[] hot = new float[Math.toIntExact(n * k)];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) throw new IllegalArgumentException("label " + labels[i] + " of sample " + i + " is not a class 0.." + (k - 1));
            hot[i * k + labels[i]] = 1f;
        }
        INDArray shifted = logits.subColumnVector(logits.max(1).reshape(n, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(1), false).reshape(n, 1);
        INDArray logP = shifted.subiColumnVector(logSumExp);
        INDArray oneHot = Nd4j.create(hot, new long[] {n, k}, 'c').castTo(logits.dataType());
        double loss = -logP.mul(oneHot).sumNumber().doubleValue() / n;
        return new Loss(loss, Transforms.exp(logP, false), oneHot);
    }

    /** dLoss/dz = (softmax(z) - onehot(y)) / N. */
    static INDArray backward(Loss loss) {
        return loss.probabilities().sub(loss.oneHot()).divi(loss.probabilities().size(0));
    }

    /** How many rows have their largest probability (the first, on ties) at the label. */
    static int correct(Loss loss, int[] labels) {
        long[] predicted = Nd4j.argMax(loss.probabilities(), 1).castTo(DataType.LONG).toLongVector();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) if (predicted[i] == labels[i]) correct++;
        return correct;
    }
}
