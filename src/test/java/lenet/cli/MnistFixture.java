package lenet.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A small made-up MNIST-like data set on disk: each image of digit d is a bright bar whose
 * position depends on d, plus noise, so a LeNet can learn it in a few epochs.
 */
final class MnistFixture {
    private MnistFixture() {}

    static Path write(Path dir, int trainCount, int testCount) throws IOException {
        Files.createDirectories(dir);
        Random rng = new Random(42);
        writeSplit(dir, "train", trainCount, rng);
        writeSplit(dir, "t10k", testCount, rng);
        return dir;
    }

    private static void writeSplit(Path dir, String prefix, int count, Random rng) throws IOException {
        ByteBuffer images = ByteBuffer.allocate(16 + count * 784);
        images.putInt(0x803).putInt(count).putInt(28).putInt(28);
        ByteBuffer labels = ByteBuffer.allocate(8 + count);
        labels.putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            int digit = i % 10;
            labels.put((byte) digit);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    boolean bar = y >= 2 + 2 * digit && y < 5 + 2 * digit && x > 4 && x < 24;
                    images.put((byte) (bar ? 200 + rng.nextInt(56) : rng.nextInt(30)));
                }
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), images.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels.array());
    }
}
