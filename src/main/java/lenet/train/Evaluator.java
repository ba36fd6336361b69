package lenet.train;

import lenet.data.Dataset;
import lenet.model.Outputs;

/** Scores a model on a data set, in batches, without changing it. */
public final class Evaluator {
    /** What scores a batch: the logits [n, classes] of {@code n} inputs (a network's, or a model's being trained). */
    public interface Scorer {
        float[] logits(float[] input, int n);
    }

    /** Receives the softmax probabilities of each batch, e.g. to write a predictions file. */
    public interface PredictionSink {
        /** @param first index of the batch's first image; probabilities [n][classes] */
        void accept(int first, int[] labels, float[][] probabilities);
    }

    private static final int BATCH = 1000;

    private Evaluator() {}

    public static Evaluation evaluate(Scorer model, int classes, Dataset data) {
        return evaluate(model, classes, data, null);
    }

    /**
     * Loss (mean cross-entropy, computed from the logits in double), accuracy and the confusion
     * matrix of {@code model} on every image of {@code data}, {@value #BATCH} at a time.
     */
    public static Evaluation evaluate(Scorer model, int classes, Dataset data, PredictionSink sink) {
        Batcher batcher = new Batcher(data);
        int[] order = Batcher.identity(data.count());
        long[][] confusion = new long[classes][classes];
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < data.count(); from += BATCH) {
            int to = Math.min(from + BATCH, data.count());
            int[] labels = batcher.labels(order, from, to);
            float[] logits = model.logits(batcher.images(order, from, to), labels.length);
            float[][] probabilities = sink == null ? null : new float[labels.length][];
            for (int i = 0; i < labels.length; i++) {
                lossSum += Outputs.crossEntropy(logits, i * classes, classes, labels[i]);
                int predicted = Outputs.argMax(logits, i * classes, classes);
                confusion[labels[i]][predicted]++;
                if (predicted == labels[i]) correct++;
                if (sink != null) probabilities[i] = Outputs.softmax(logits, i * classes, classes);
            }
            if (sink != null) sink.accept(from, labels, probabilities);
        }
        return new Evaluation(data.count() == 0 ? 0 : lossSum / data.count(), correct, data.count(), confusion);
    }
}
