package lenet.train;

/**
 * How a model did on a set of labelled images.
 *
 * @param loss      mean softmax cross-entropy
 * @param correct   images whose most probable digit is the label
 * @param count     images scored
 * @param confusion confusion[true][predicted] counts
 */
public record Evaluation(double loss, int correct, int count, long[][] confusion) {
    public double accuracy() {
        return count == 0 ? 0 : (double) correct / count;
    }

    /** Per class: correct / images of that class (NaN for a class with no images). */
    public double[] perClassAccuracy() {
        double[] acc = new double[confusion.length];
        for (int c = 0; c < confusion.length; c++) {
            long total = 0;
            for (long n : confusion[c]) total += n;
            acc[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
        return acc;
    }
}
