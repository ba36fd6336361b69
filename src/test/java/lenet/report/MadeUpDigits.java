package lenet.report;

import java.util.Random;
import lenet.data.Dataset;

/** A small MNIST-shaped data set in memory: digit d is a bright bar at a height that depends on d, plus noise. */
final class MadeUpDigits {
    private MadeUpDigits() {}

    static Dataset of(int count, long seed) {
        Random rng = new Random(seed);
        byte[] pixels = new byte[count * 784];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            int digit = i % 10;
            labels[i] = (byte) digit;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean bar = y >= 2 + 2 * digit && y < 5 + 2 * digit && x > 4 && x < 24;
                    pixels[i * 784 + y * 28 + x] = (byte) (bar ? 200 + rng.nextInt(56) : rng.nextInt(30));
                }
            }
        }
        return new Dataset(pixels, labels, count, 28, 28);
    }
}
