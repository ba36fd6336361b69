package lenet.train;

import java.util.Random;
import lenet.LenetException;
import lenet.data.Dataset;
import lenet.model.LeNet;
import lenet.model.Pixels;

/**
 * Turns images of a {@link Dataset} into network input: [B, 1, 28, 28] float32 in one row-major
 * array, each pixel scaled by {@link Pixels} (pixel / 255: ink 1, background 0) — the only
 * preprocessing, so weights move freely between this tool and PyTorch ({@code ToTensor()} does the same).
 */
final class Batcher {
    private final Dataset data;
    private final int pixelsPerImage;
    // Arrays reused from step to step, one per batch size (a full batch and an epoch's last one):
    // a fresh one would be 400 KB of garbage per step at batch 128, which makes the collector grow the heap.
    private final java.util.Map<Integer, float[]> scratch = new java.util.HashMap<>();

    Batcher(Dataset data) {
        int side = LeNet.INPUT_SHAPE[1];
        if (data.rows() != side || data.cols() != LeNet.INPUT_SHAPE[2]) {
            throw new LenetException("the images are " + data.rows() + "x" + data.cols() + " pixels; LeNet takes "
                    + side + "x" + LeNet.INPUT_SHAPE[2] + " images such as MNIST's");
        }
        this.data = data;
        this.pixelsPerImage = data.pixelsPerImage();
    }

    /** Images {@code order[from..to)} as [to-from, 1, rows, cols]; the array is reused by the next call for as many images. */
    float[] images(int[] order, int from, int to) {
        return images(order, from, to, 0, null);
    }

    /**
     * Images {@code order[from..to)}, each moved by a random whole-pixel shift of up to
     * {@code maxShift} pixels along each axis (cells moved in from outside are background). Small
     * shifts are a cheap augmentation: a digit a pixel or two off-centre is still the same digit.
     */
    float[] images(int[] order, int from, int to, int maxShift, Random rng) {
        return images(order, from, to, maxShift, Distortion.NONE, rng);
    }

    /**
     * Images {@code order[from..to)}, each shifted as {@link #images(int[], int, int, int, Random)}
     * does and then, unless {@code distortion} is {@link Distortion#NONE}, resampled through that
     * random distortion (the shift's numbers are drawn first, so they are the same either way).
     */
    float[] images(int[] order, int from, int to, int maxShift, Distortion distortion, Random rng) {
        int rows = data.rows(), cols = data.cols();
        int length = (to - from) * pixelsPerImage;
        float[] batch = scratch.computeIfAbsent(length, float[]::new);
        java.util.Arrays.fill(batch, 0f); // the shifts' empty borders
        byte[] pixels = data.pixels();
        for (int b = 0; b < to - from; b++) {
            int src = order[from + b] * pixelsPerImage;
            int dst = b * pixelsPerImage;
            int dy = 0, dx = 0;
            if (maxShift > 0) {
                dy = rng.nextInt(2 * maxShift + 1) - maxShift;
                dx = rng.nextInt(2 * maxShift + 1) - maxShift;
            }
            if (distortion != null && distortion != Distortion.NONE) {
                distortion.apply(pixels, src, rows, dx, dy, rng, batch, dst);
                continue;
            }
            for (int y = 0; y < rows; y++) {
                int sy = y - dy;
                if (sy < 0 || sy >= rows) continue;
                for (int x = 0; x < cols; x++) {
                    int sx = x - dx;
                    if (sx < 0 || sx >= cols) continue;
                    batch[dst + y * cols + x] = Pixels.scale(pixels[src + sy * cols + sx]);
                }
            }
        }
        return batch;
    }

    /** Labels {@code order[from..to)}. */
    int[] labels(int[] order, int from, int to) {
        int[] labels = new int[to - from];
        for (int b = 0; b < labels.length; b++) labels[b] = data.labels()[order[from + b]];
        return labels;
    }

    /** 0, 1, ..., n-1. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return order;
    }

    /** 0..n-1 in a random order (Fisher-Yates). */
    static int[] shuffled(int n, Random rng) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
