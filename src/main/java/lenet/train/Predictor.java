package lenet.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import lenet.LenetException;
import lenet.image.Preprocessing;
import lenet.nn.LeNet;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classifies 28x28 images with a trained model: the same input as training (byte / 255, [N, 1, 28,
 * 28]), one forward pass per batch inside a workspace, softmax of the logits.
 */
public final class Predictor {
    /** Images per forward pass; also how many files are read before their answers are given. */
    public static final int BATCH = 256;

    private static final int PIXELS = LeNet.IMAGE_SIZE * LeNet.IMAGE_SIZE;

    private final LeNet model;

    public Predictor(LeNet model) {
        this.model = model;
    }

    /**
     * The answer for one file: what the network saw and the ten probabilities, or why the file
     * could not be read (then {@code image} and {@code probabilities} are null).
     */
    public record Answer(Path file, Preprocessing.Result image, float[] probabilities, String error) {
        public boolean ok() {
            return error == null;
        }

        /** The most probable digit. */
        public int digit() {
            return top(1)[0];
        }

        /** The k most probable digits, most probable first. */
        public int[] top(int k) {
            Integer[] order = new Integer[probabilities.length];
            for (int i = 0; i < order.length; i++) order[i] = i;
            java.util.Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
            int[] out = new int[Math.min(k, order.length)];
            for (int i = 0; i < out.length; i++) out[i] = order[i];
            return out;
        }
    }

    /**
     * Reads, preprocesses and classifies {@code files} in order, {@link #BATCH} at a time, handing
     * each answer to {@code sink} in the order of {@code files}. A file that cannot be read or holds
     * no digit gets an answer with its one-line error; the others are not affected.
     */
    public void predictFiles(List<Path> files, Preprocessing.Invert invert, Consumer<Answer> sink) {
        for (int from = 0; from < files.size(); from += BATCH) {
            List<Path> chunk = files.subList(from, Math.min(files.size(), from + BATCH));
            List<Preprocessing.Result> images = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            for (Path f : chunk) {
                try {
                    images.add(Preprocessing.fromFile(f, invert));
                    errors.add(null);
                } catch (LenetException e) {
                    images.add(null);
                    errors.add(e.getMessage());
                }
            }
            List<byte[]> good = new ArrayList<>();
            for (Preprocessing.Result r : images) if (r != null) good.add(r.pixels());
            float[][] probabilities = probabilities(good);
            int k = 0;
            for (int i = 0; i < chunk.size(); i++) {
                Preprocessing.Result r = images.get(i);
                sink.accept(new Answer(chunk.get(i), r, r == null ? null : probabilities[k++], errors.get(i)));
            }
        }
    }

    /** Softmax probabilities [n][10] of n images, each 784 bytes (row-major, 0 background to 255 ink). */
    public float[][] probabilities(List<byte[]> images) {
        float[][] out = new float[images.size()][];
        for (int from = 0; from < images.size(); from += BATCH) {
            int to = Math.min(images.size(), from + BATCH);
            float[] batch = new float[(to - from) * PIXELS];
            for (int b = from; b < to; b++) {
                byte[] pixels = images.get(b);
                if (pixels.length != PIXELS) throw new IllegalArgumentException("image " + b + " has " + pixels.length + " pixels, not " + PIXELS);
                // Exactly Batcher's scaling: the byte as 0-255, divided by 255 in float.
                for (int i = 0; i < PIXELS; i++) batch[(b - from) * PIXELS + i] = (pixels[i] & 0xFF) / 255f;
            }
            try (MemoryWorkspace ws = Workspaces.step("PREDICT")) {
                INDArray x = Nd4j.create(batch, new long[] {to - from, 1, LeNet.IMAGE_SIZE, LeNet.IMAGE_SIZE}, 'c');
                float[][] logits = model.forward(x).toFloatMatrix(); // copied out as Java arrays before the workspace closes
                for (int b = from; b < to; b++) out[b] = softmax(logits[b - from]);
            }
        }
        return out;
    }

    /**
     * softmax(z)_k = exp(z_k - max z) / sum_j exp(z_j - max z), in double: subtracting the maximum
     * changes nothing mathematically and keeps exp from overflowing.
     */
    static float[] softmax(float[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) max = Math.max(max, v);
        double[] e = new double[z.length];
        double sum = 0;
        for (int k = 0; k < z.length; k++) sum += e[k] = Math.exp(z[k] - max);
        float[] p = new float[z.length];
        for (int k = 0; k < z.length; k++) p[k] = (float) (e[k] / sum);
        return p;
    }
}
