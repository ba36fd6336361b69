package lenet.train;

import lenet.data.Dataset;
import lenet.nn.LeNet;
import lenet.nn.SoftmaxCrossEntropy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Scores a model on a data set, in batches, without changing it. */
public final class Evaluator {
    /** Receives the softmax probabilities of each batch, e.g. to write a predictions file. */
    public interface PredictionSink {
        /** @param first index of the batch's first image; probabilities [n][10] */
        void accept(int first, int[] labels, float[][] probabilities);
    }

    private static final int BATCH = 1000;

    private Evaluator() {}

    public static Evaluation evaluate(LeNet model, Dataset data) {
        return evaluate(model, data, null);
    }

    public static Evaluation evaluate(LeNet model, Dataset data, PredictionSink sink) {
        Batcher batcher = new Batcher(data);
        int[] order = Batcher.identity(data.count());
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        long[][] confusion = new long[LeNet.CLASSES][LeNet.CLASSES];
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < data.count(); from += BATCH) {
            int to = Math.min(from + BATCH, data.count());
            int[] labels = batcher.labels(order, from, to);
            try (MemoryWorkspace ws = Workspaces.step("EVAL")) {
                INDArray logits = model.forward(batcher.images(order, from, to));
                lossSum += loss.forward(logits, labels) * labels.length;
                long[] predicted = Nd4j.argMax(logits, 1).castTo(DataType.LONG).toLongVector();
                for (int i = 0; i < labels.length; i++) {
                    confusion[labels[i]][(int) predicted[i]]++;
                    if (predicted[i] == labels[i]) correct++;
                }
                if (sink != null) sink.accept(from, labels, loss.probabilities().toFloatMatrix());
            }
        }
        return new Evaluation(data.count() == 0 ? 0 : lossSum / data.count(), correct, data.count(), confusion);
    }
}
