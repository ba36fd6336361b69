package lenet.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import lenet.LenetException;
import org.junit.jupiter.api.function.Executable;

/** Builds small IDX files, good and broken, for the tests; and checks the errors they cause. */
final class IdxBytes {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxBytes() {}

    /** A header: the magic, then each dimension as a big-endian uint32 (so -1 is 2^32 - 1). */
    static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    /** Made-up pixels that differ from image to image and reach values above 127. */
    static byte[] pixels(int count, int rows, int cols) {
        byte[] p = new byte[count * rows * cols];
        for (int k = 0; k < p.length; k++) {
            p[k] = (byte) (k * 37 + 11);
        }
        return p;
    }

    static byte[] imagesFile(int count, int rows, int cols) {
        return concat(header(IMAGES_MAGIC, count, rows, cols), pixels(count, rows, cols));
    }

    static byte[] labelsFile(int... labels) {
        byte[] y = new byte[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) labels[i];
        }
        return concat(header(LABELS_MAGIC, labels.length), y);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code read}, expects a one-line LenetException naming {@code file}, and returns its message. */
    static String failureOf(Path file, Executable read, String... fragments) {
        String message = assertThrows(LenetException.class, read).getMessage();
        assertTrue(message.contains(file.getFileName().toString()), () -> "file not named: " + message);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "expected \"" + fragment + "\" in: " + message);
        }
        assertFalse(message.contains("\n"), () -> "not one line: " + message);
        return message;
    }
}
