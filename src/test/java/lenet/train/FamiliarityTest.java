package lenet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import lenet.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distance from the classes a model learned: the fit, the limit, the cache. */
class FamiliarityTest {
    @TempDir
    Path tmp;

    /** Three classes: ink in the top, the middle or the bottom third of the image, with noise everywhere. */
    private static Dataset thirds(int n, long seed) {
        Random rng = new Random(seed);
        byte[] px = new byte[n * 784], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            labels[i] = (byte) c;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double v = 30 * rng.nextDouble() + (y / 10 == c ? 150 + 60 * rng.nextDouble() : 0);
                    px[i * 784 + y * 28 + x] = (byte) Math.min(255, v);
                }
            }
        }
        return new Dataset(px, labels, n, 28, 28);
    }

    /** Features: the mean ink of each third and of the left and right halves. */
    private static final Function<float[], float[]> FEATURES = x -> {
        float[] f = new float[5];
        for (int y = 0; y < 28; y++) {
            for (int xx = 0; xx < 28; xx++) {
                float v = x[y * 28 + xx];
                f[Math.min(2, y / 10)] += v / 280;
                f[3 + (xx < 14 ? 0 : 1)] += v / 392;
            }
        }
        return f;
    };

    private static float[] image(Dataset d, int i) {
        float[] x = new float[784];
        for (int k = 0; k < 784; k++) x[k] = (d.pixels()[i * 784 + k] & 255) / 255f;
        return x;
    }

    @Test
    void invertsASymmetricPositiveDefiniteMatrix() {
        Random rng = new Random(3);
        int n = 7;
        double[] b = new double[n * n], a = new double[n * n];
        for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) a[i * n + j] += b[i * n + k] * b[j * n + k];
        for (int i = 0; i < n; i++) a[i * n + i] += 0.1;
        double[] inv = Familiarity.invert(a, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
                assertEquals(i == j ? 1 : 0, s, 1e-9);
            }
        }
    }

    @Test
    void imagesLikeTheTrainingSetStayUnderTheLimitAndOthersDoNot() {
        Dataset train = thirds(600, 1), test = thirds(300, 2);
        Familiarity f = Familiarity.fit(FEATURES, train, test, 600, 300, 3);
        int beyond = 0;
        Dataset fresh = thirds(300, 3);
        for (int i = 0; i < 300; i++) if (f.distance(FEATURES.apply(image(fresh, i))) > f.limit()) beyond++;
        assertTrue(beyond <= 9, "about 1% of new images like the training set are beyond the limit, was " + beyond + " of 300");
        // Ink in two thirds at once, or in none: no class looks like that.
        float[] two = image(fresh, 0), none = new float[784];
        for (int k = 0; k < 280; k++) two[280 + k] = Math.max(two[280 + k], 0.8f);
        assertTrue(f.distance(FEATURES.apply(two)) > f.limit(), "ink in two thirds");
        assertTrue(f.distance(FEATURES.apply(none)) > f.limit(), "no ink");
    }

    @Test
    void theFitIsCachedByTheCheckpointsBytesAndSkippedWithoutData() throws IOException {
        Path data = tmp.resolve("data");
        writeIdx(data, "train", thirds(600, 1));
        writeIdx(data, "t10k", thirds(300, 2));
        Path checkpoint = tmp.resolve("model.npz"), cache = tmp.resolve("cache");
        Files.write(checkpoint, new byte[] {1, 2, 3});
        AtomicInteger calls = new AtomicInteger(), fits = new AtomicInteger();
        Function<float[], float[]> counted = x -> {
            calls.incrementAndGet();
            return FEATURES.apply(x);
        };
        Familiarity first = Familiarity.forCheckpoint(checkpoint, counted, data, 3, cache, fits::incrementAndGet);
        assertNotNull(first);
        assertTrue(calls.get() > 0);
        assertEquals(1, fits.get(), "said before fitting");
        try (var files = Files.list(cache)) {
            assertEquals(1, files.count(), "one file in the cache");
        }
        calls.set(0);
        Familiarity again = Familiarity.forCheckpoint(checkpoint, counted, data, 3, cache, fits::incrementAndGet);
        assertEquals(0, calls.get(), "read from the cache");
        assertEquals(1, fits.get(), "nothing to say when read from the cache");
        // A damaged cache file is fitted again, never trusted.
        Path cached;
        try (var files = Files.list(cache)) {
            cached = files.findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(cached);
        Files.write(cached, java.util.Arrays.copyOf(whole, whole.length - 8));
        Familiarity.forCheckpoint(checkpoint, counted, data, 3, cache, fits::incrementAndGet);
        assertEquals(2, fits.get(), "a truncated cache file is fitted again");
        assertEquals(whole.length, Files.size(cached), "and written whole");
        calls.set(0);
        assertEquals(first.limit(), again.limit());
        Files.write(checkpoint, new byte[] {1, 2, 4});
        Familiarity.forCheckpoint(checkpoint, counted, data, 3, cache, fits::incrementAndGet);
        assertTrue(calls.get() > 0, "another checkpoint is fitted again");
        Files.write(checkpoint, new byte[] {9});
        assertNull(Familiarity.forCheckpoint(checkpoint, counted, tmp.resolve("no-data"), 3, cache, fits::incrementAndGet), "no data set, no check");
        assertNotNull(Familiarity.forCheckpoint(checkpoint, counted, data, 3, null, fits::incrementAndGet), "without a cache the fit serves the run");
    }

    private static void writeIdx(Path dir, String prefix, Dataset d) throws IOException {
        Files.createDirectories(dir);
        ByteBuffer images = ByteBuffer.allocate(16 + d.pixels().length);
        images.putInt(0x803).putInt(d.count()).putInt(28).putInt(28).put(d.pixels());
        ByteBuffer labels = ByteBuffer.allocate(8 + d.count());
        labels.putInt(0x801).putInt(d.count()).put(d.labels());
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
