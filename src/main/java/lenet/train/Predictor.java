package lenet.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import lenet.LenetException;
import lenet.image.Preprocessing;
import lenet.io.NdArray;
import lenet.nn.LeNet;
import lenet.nn.PlainLeNet;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Classifies 28x28 images with a trained model: the same input as training (byte / 255, [N, 1, 28,
 * 28]), a forward pass, softmax of the logits.
 *
 * <p>Two forward passes give the same numbers (within float rounding): a few images go through
 * {@link PlainLeNet}, plain Java loops that need no start-up; more than {@link #PLAIN_JAVA_UP_TO}
 * go through ND4J's batched kernels ({@link LeNet#forward}, {@link #BATCH} images a pass inside a
 * workspace), which are faster per image but cost a few tenths of a second to start. Which one is
 * decided from the number of images alone, before any ND4J class is touched, so a small job never
 * starts ND4J.
 */
public final class Predictor {
    /** Images per forward pass; also how many files are read before their answers are given. */
    public static final int BATCH = 256;

    /**
     * Up to this many images are classified in plain Java, more with ND4J. Plain Java saves ND4J's
     * start-up (0.44 s for one image below) but costs about 0.6 ms more per image (from 1000 to 3000
     * images: +1.8 s against ND4J's +0.6 s), so the two cross between 700 and 1000 images. Measured
     * with {@code scripts/lenet predict} on N MNIST test images saved as PNG, each path forced in
     * turn (2 cores, no other job running, median of 5, seconds from start to exit):
     *
     * <pre>
     *   N            1     300    500    700    1000   2000   3000
     *   plain Java   0.44  0.77   0.79   1.12   1.07   2.08   2.85
     *   ND4J         0.88  0.99   1.01   1.08   1.10   1.37   1.70
     * </pre>
     *
     * (With other jobs loading the machine, ND4J's threads lose more and plain Java was still ahead at 2000.)
     */
    public static final int PLAIN_JAVA_UP_TO = 1000;

    private static final int PIXELS = LeNet.IMAGE_SIZE * LeNet.IMAGE_SIZE;

    private final LeNet.Activation activation;
    private final LeNet.Pooling pooling;
    private final Map<String, NdArray> weights;
    private final int plainJavaUpTo;
    private PlainLeNet plain; // made on first use
    private LeNet nd4j;       // made on first use; making it starts ND4J

    /** A predictor for the network of {@code activation}, {@code pooling} and the ten {@code weights} (PyTorch names). */
    public Predictor(LeNet.Activation activation, LeNet.Pooling pooling, Map<String, NdArray> weights) {
        this(activation, pooling, weights, PLAIN_JAVA_UP_TO);
    }

    /** As above, with plain Java for up to {@code plainJavaUpTo} images (tests force either path with it). */
    Predictor(LeNet.Activation activation, LeNet.Pooling pooling, Map<String, NdArray> weights, int plainJavaUpTo) {
        this.activation = activation;
        this.pooling = pooling;
        this.weights = weights;
        this.plainJavaUpTo = plainJavaUpTo;
    }

    /** The network in {@code saved}, with the given architecture (null: the one in its meta.json). */
    public static Predictor of(Checkpoint.Contents saved, LeNet.Activation activation, LeNet.Pooling pooling) {
        return new Predictor(activation == null ? saved.activation() : activation, pooling == null ? saved.pooling() : pooling, saved.weights());
    }

    /** True when {@code images} images are classified in plain Java (ND4J is then never started); false: with ND4J. */
    public boolean usesPlainJava(int images) {
        return images <= plainJavaUpTo;
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
     * no digit gets an answer with its one-line error; the others are not affected. The number of
     * files chooses the forward pass ({@link #usesPlainJava}) for all of them.
     */
    public void predictFiles(List<Path> files, Preprocessing.Invert invert, Consumer<Answer> sink) {
        boolean plainJava = usesPlainJava(files.size());
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
            float[][] probabilities = plainJava ? plainJava(good) : withNd4j(good);
            int k = 0;
            for (int i = 0; i < chunk.size(); i++) {
                Preprocessing.Result r = images.get(i);
                sink.accept(new Answer(chunk.get(i), r, r == null ? null : probabilities[k++], errors.get(i)));
            }
        }
    }

    /** Softmax probabilities [n][10] of n images, each 784 bytes (row-major, 0 background to 255 ink). */
    public float[][] probabilities(List<byte[]> images) {
        return usesPlainJava(images.size()) ? plainJava(images) : withNd4j(images);
    }

    /** One image at a time through {@link PlainLeNet}. */
    private float[][] plainJava(List<byte[]> images) {
        if (plain == null) plain = new PlainLeNet(activation, pooling, weights);
        float[][] out = new float[images.size()][];
        float[] x = new float[PIXELS];
        for (int b = 0; b < images.size(); b++) {
            scale(images.get(b), b, x, 0);
            out[b] = softmax(plain.logits(x));
        }
        return out;
    }

    /** {@link #BATCH} images at a time through ND4J's kernels. */
    private float[][] withNd4j(List<byte[]> images) {
        if (nd4j == null) nd4j = LeNet.fromArrays(activation, pooling, Checkpoint.toIndArrays(weights));
        float[][] out = new float[images.size()][];
        for (int from = 0; from < images.size(); from += BATCH) {
            int to = Math.min(images.size(), from + BATCH);
            float[] batch = new float[(to - from) * PIXELS];
            for (int b = from; b < to; b++) scale(images.get(b), b, batch, (b - from) * PIXELS);
            try (MemoryWorkspace ws = Workspaces.step("PREDICT")) {
                INDArray x = Nd4j.create(batch, new long[] {to - from, 1, LeNet.IMAGE_SIZE, LeNet.IMAGE_SIZE}, 'c');
                float[][] logits = nd4j.forward(x).toFloatMatrix(); // copied out as Java arrays before the workspace closes
                for (int b = from; b < to; b++) out[b] = softmax(logits[b - from]);
            }
        }
        return out;
    }

    /** Image {@code index}'s bytes as the network's input, into {@code x} from {@code offset}: exactly Batcher's scaling, the byte as 0-255 divided by 255 in float. */
    private static void scale(byte[] pixels, int index, float[] x, int offset) {
        if (pixels.length != PIXELS) throw new IllegalArgumentException("image " + index + " has " + pixels.length + " pixels, not " + PIXELS);
        for (int i = 0; i < PIXELS; i++) x[offset + i] = (pixels[i] & 0xFF) / 255f;
    }

    /** The index of the largest value (the first of equal ones): the predicted class. */
    public static int argMax(float[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
        return best;
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
