package lenet.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import lenet.data.Dataset;
import lenet.engine.Network;
import lenet.engine.Trace;
import lenet.io.AtomicFiles;
import lenet.model.Pixels;

/**
 * How much an image looks like the digits a model learned from, in the model's own terms: the
 * features it hands its last layer (fc2's 84 outputs for LeNet). Lee, Lee, Lee and Shin (2018, "A
 * simple unified framework for detecting out-of-distribution samples") fit one Gaussian per class
 * with a shared covariance to the training set's features; an image whose features lie far from
 * every class mean, in Mahalanobis distance, is unlike anything the model was trained on, however
 * confident its softmax (a letter B read as an "8" at 99%).
 *
 * <pre>
 *   mean_c = average of f(x) over the training images of class c
 *   S      = average of (f(x) - mean_y)(f(x) - mean_y)^T over them all, plus 1e-6 I
 *   d(x)   = min over c of (f(x) - mean_c)^T S^-1 (f(x) - mean_c)
 * </pre>
 *
 * The limit is the distance {@link #QUANTILE} of the data set's test images stay under, so about
 * 1% of real MNIST digits are over it too. Measured with {@code scripts/feature_distance_probe.py}
 * on all 60,000 training images: beyond that limit were 13 of the 47 held-apart letters and signs
 * that the network read at 90% or more, 14 of 45 lookalikes, 7 of 26 other non-digits, against 0 of
 * 114, 3 of 115, 4 of 166 and 3 of 178 of the sure readings of real digits (held-apart photos,
 * photos, fonts, handwriting).
 *
 * <p>Fitting takes {@link #TRAIN_IMAGES} training and {@link #TEST_IMAGES} test images through
 * the reference engine (one to three seconds), once per checkpoint: the result is kept in the
 * user's cache ({@code $XDG_CACHE_HOME/lenet/familiar/<SHA-256 of the checkpoint>.bin}, else
 * {@code ~/.cache/...}), never beside the checkpoint, and fitted again when that file is missing
 * or unreadable; where the cache cannot be written the fit serves the one run.
 */
public final class Familiarity {
    /** Training images the class means and covariance are fitted on (the first ones of the file). */
    public static final int TRAIN_IMAGES = 3000;
    /** Test images the limit is taken from. */
    public static final int TEST_IMAGES = 1000;
    /** The fraction of test images under the limit. */
    public static final double QUANTILE = 0.99;

    /**
     * The cache file's first bytes. After them, big-endian: the fit's train images, test images,
     * quantile, limit, classes and feature count, then the class means and the inverse covariance
     * (row-major) as doubles. Binary, not JSON: a one-image {@code predict} reads it in its start-up.
     */
    private static final String MAGIC = "lenet-familiarity-1";

    private final double[][] means;
    private final double[] precision;
    private final double limit;
    private final int size;

    private Familiarity(double[][] means, double[] precision, double limit) {
        this.means = means;
        this.precision = precision;
        this.limit = limit;
        this.size = means[0].length;
    }

    /** The distance {@link #QUANTILE} of the test images stay under. */
    public double limit() {
        return limit;
    }

    /** The features the model hands its last layer for one image ([C, H, W], pixel / 255). */
    public static float[] features(Network network, float[] input) {
        List<Trace.StageOutput> stages = network.trace(input).stages();
        return stages.get(stages.size() - 2).values();
    }

    /** The Mahalanobis distance (squared) from {@code f} to the nearest class mean. */
    public double distance(float[] f) {
        if (f.length != size) throw new IllegalArgumentException("features of " + f.length + " values, not " + size);
        double best = Double.POSITIVE_INFINITY;
        double[] d = new double[size];
        for (double[] mean : means) {
            for (int i = 0; i < size; i++) d[i] = f[i] - mean[i];
            double sum = 0;
            for (int i = 0; i < size; i++) {
                double row = 0;
                for (int j = 0; j < size; j++) row += precision[i * size + j] * d[j];
                sum += d[i] * row;
            }
            best = Math.min(best, sum);
        }
        return best;
    }

    /**
     * Fits on the first {@code trainImages} images of {@code train} (their labels give the classes)
     * and takes the limit from the first {@code testImages} of {@code test}.
     */
    public static Familiarity fit(java.util.function.Function<float[], float[]> features, Dataset train, Dataset test, int trainImages, int testImages,
                                  int classes) {
        int n = Math.min(trainImages, train.count());
        float[][] f = new float[n][];
        for (int i = 0; i < n; i++) f[i] = features.apply(image(train, i));
        int size = f[0].length;
        double[][] means = new double[classes][size];
        int[] counts = new int[classes];
        for (int i = 0; i < n; i++) {
            int c = train.labels()[i];
            counts[c]++;
            for (int k = 0; k < size; k++) means[c][k] += f[i][k];
        }
        for (int c = 0; c < classes; c++) for (int k = 0; k < size; k++) means[c][k] /= Math.max(1, counts[c]);
        double[] cov = new double[size * size];
        double[] d = new double[size];
        for (int i = 0; i < n; i++) {
            double[] mean = means[train.labels()[i]];
            for (int k = 0; k < size; k++) d[k] = f[i][k] - mean[k];
            for (int a = 0; a < size; a++) for (int b = 0; b < size; b++) cov[a * size + b] += d[a] * d[b];
        }
        for (int k = 0; k < cov.length; k++) cov[k] /= n;
        for (int k = 0; k < size; k++) cov[k * size + k] += 1e-6;
        Familiarity fitted = new Familiarity(means, invert(cov, size), Double.NaN);
        int m = Math.min(testImages, test.count());
        double[] distances = new double[m];
        for (int i = 0; i < m; i++) distances[i] = fitted.distance(features.apply(image(test, i)));
        java.util.Arrays.sort(distances);
        double limit = distances[Math.min(m - 1, (int) Math.ceil(QUANTILE * m) - 1)];
        return new Familiarity(means, fitted.precision, limit);
    }

    /**
     * The familiarity of the model in {@code checkpoint}: from the cache when it was fitted for these
     * bytes, else fitted on the data set in {@code dataDir} and cached ({@code beforeFitting} runs
     * just before the fit, once the data set is read). Null when the data set's files are not there.
     */
    public static Familiarity forCheckpoint(Path checkpoint, java.util.function.Function<float[], float[]> features, Path dataDir, int classes,
                                            Runnable beforeFitting) {
        return forCheckpoint(checkpoint, features, dataDir, classes, cacheDir(), beforeFitting);
    }

    static Familiarity forCheckpoint(Path checkpoint, java.util.function.Function<float[], float[]> features, Path dataDir, int classes, Path cache,
                                     Runnable beforeFitting) {
        String sha;
        try {
            sha = sha256(Files.readAllBytes(checkpoint));
        } catch (IOException e) {
            return null;
        }
        Path saved = cache == null ? null : cache.resolve(sha + ".bin");
        if (saved != null) {
            Familiarity f = read(saved, classes);
            if (f != null) return f;
        }
        Dataset train, test;
        try {
            train = Dataset.loadSplit(dataDir, "train");
            test = Dataset.loadSplit(dataDir, "test");
        } catch (RuntimeException e) {
            return null;
        }
        beforeFitting.run();
        Familiarity f = fit(features, train, test, TRAIN_IMAGES, TEST_IMAGES, classes);
        if (saved != null) {
            try {
                Files.createDirectories(cache);
                AtomicFiles.write(saved, f::write);
            } catch (IOException | RuntimeException e) {
                // a cache we may not write to: the fit serves this run only
            }
        }
        return f;
    }

    private void write(java.io.OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(out));
        d.writeUTF(MAGIC);
        d.writeInt(TRAIN_IMAGES);
        d.writeInt(TEST_IMAGES);
        d.writeDouble(QUANTILE);
        d.writeDouble(limit);
        d.writeInt(means.length);
        d.writeInt(size);
        for (double[] mean : means) for (double v : mean) d.writeDouble(v);
        for (double v : precision) d.writeDouble(v);
        d.flush();
    }

    /** The fit saved in {@code file}, or null when it is missing, of other settings, or not whole (it is then fitted again). */
    static Familiarity read(Path file, int classes) {
        try (DataInputStream d = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(d.readUTF()) || d.readInt() != TRAIN_IMAGES || d.readInt() != TEST_IMAGES || d.readDouble() != QUANTILE) return null;
            double limit = d.readDouble();
            int n = d.readInt(), size = d.readInt();
            // Sizes checked before anything is allocated: a damaged file is refitted, never trusted.
            if (n != classes || size < 1 || size > 4096 || Files.size(file) != MAGIC.length() + 2 + 4 * 4 + 2 * 8 + 8L * size * (n + size)) return null;
            double[][] means = new double[n][size];
            for (double[] mean : means) for (int k = 0; k < size; k++) mean[k] = d.readDouble();
            double[] precision = new double[size * size];
            for (int k = 0; k < precision.length; k++) precision[k] = d.readDouble();
            return Double.isFinite(limit) ? new Familiarity(means, precision, limit) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code $XDG_CACHE_HOME/lenet/familiar}, else {@code ~/.cache/lenet/familiar}; null when neither is known. */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "lenet", "familiar");
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "lenet", "familiar");
    }

    private static float[] image(Dataset data, int i) {
        int size = data.pixelsPerImage();
        float[] x = new float[size];
        for (int k = 0; k < size; k++) x[k] = Pixels.scale(data.pixels()[i * size + k]);
        return x;
    }

    /** The inverse of a symmetric positive definite matrix (Gauss-Jordan with partial pivoting). */
    static double[] invert(double[] a, int n) {
        double[] m = a.clone();
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) inv[i * n + i] = 1;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) pivot = r;
            if (pivot != col) {
                swapRows(m, n, col, pivot);
                swapRows(inv, n, col, pivot);
            }
            double p = m[col * n + col];
            for (int k = 0; k < n; k++) {
                m[col * n + k] /= p;
                inv[col * n + k] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double factor = m[r * n + col];
                if (factor == 0) continue;
                for (int k = 0; k < n; k++) {
                    m[r * n + k] -= factor * m[col * n + k];
                    inv[r * n + k] -= factor * inv[col * n + k];
                }
            }
        }
        return inv;
    }

    private static void swapRows(double[] m, int n, int a, int b) {
        for (int k = 0; k < n; k++) {
            double t = m[a * n + k];
            m[a * n + k] = m[b * n + k];
            m[b * n + k] = t;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
