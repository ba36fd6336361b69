package lenet.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import lenet.LenetException;

/**
 * Labelled greyscale images in plain arrays, as read from a pair of IDX files.
 *
 * <pre>
 *   pixels [count * rows * cols]   image i, row r, column c at i*rows*cols + r*cols + c; raw 0-255
 *   labels [count]                 the class of image i, 0-9
 * </pre>
 *
 * Pixels are Java's signed bytes: read one as {@code pixels[k] & 0xff}. The arrays are shared, not
 * copied; nothing here modifies them. Turning batches into ND4J arrays is the trainer's job.
 *
 * @param pixels every image's pixels, row-major, {@code count * rows * cols} of them
 * @param labels every image's class, {@code count} of them
 * @param count  the number of images
 * @param rows   the height of an image
 * @param cols   the width of an image
 */
public record Dataset(byte[] pixels, byte[] labels, int count, int rows, int cols) {
    /** MNIST and Fashion-MNIST both have ten classes, labelled 0 to 9. */
    public static final int CLASSES = 10;

    public Dataset {
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("need count >= 0 and rows, cols > 0, got " + count + ", " + rows + ", " + cols);
        }
        if (pixels.length != (long) count * rows * cols || labels.length != count) {
            throw new IllegalArgumentException("need " + count + "x" + rows + "x" + cols + " pixels and " + count
                    + " labels, got " + pixels.length + " pixels and " + labels.length + " labels");
        }
    }

    /**
     * Reads an images file and its labels file, raw or gzipped, and checks that they belong
     * together: as many labels as images, every label in 0-9.
     */
    public static Dataset load(Path images, Path labels) {
        IdxFile labelFile = IdxFile.readLabels(labels);
        byte[] y = labelFile.data();
        for (int i = 0; i < y.length; i++) {
            int label = y[i] & 0xff;
            if (label >= CLASSES) {
                throw new LenetException(labels + ": label " + label + " at index " + i
                        + " is outside 0-9; pass a labels file with " + CLASSES + " classes, such as MNIST's");
            }
        }
        IdxFile imageFile = IdxFile.readImages(images);
        if (imageFile.count() != labelFile.count()) {
            throw new LenetException(images + ": has " + imageFile.count() + " images but " + labels + " has "
                    + labelFile.count() + " labels; pass the images and labels of the same split");
        }
        int[] dims = imageFile.dims();
        return new Dataset(imageFile.data(), y, dims[0], dims[1], dims[2]);
    }

    /**
     * Reads one split from a directory laid out as MNIST's: {@code train} reads {@code
     * train-images-idx3-ubyte} and {@code train-labels-idx1-ubyte}, {@code test} the {@code t10k-}
     * files; each may also be gzipped with a {@code .gz} name (the raw file wins if both exist).
     */
    public static Dataset loadSplit(Path dir, String split) {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new LenetException("unknown split '" + split + "'; use train or test");
        };
        if (!Files.isDirectory(dir)) {
            throw new LenetException(dir + ": no such directory; run scripts/fetch-data.sh to download MNIST and Fashion-MNIST");
        }
        return load(find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"));
    }

    private static Path find(Path dir, String name) {
        Path raw = dir.resolve(name);
        Path gzipped = dir.resolve(name + ".gz");
        if (Files.exists(raw)) {
            return raw;
        }
        if (Files.exists(gzipped)) {
            return gzipped;
        }
        throw new LenetException(dir + ": found neither " + name + " nor " + name + ".gz; "
                + "run scripts/fetch-data.sh to download MNIST and Fashion-MNIST");
    }

    /** The first {@code n} images (all of them if there are fewer), e.g. for a quick run. */
    public Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        if (n >= count) {
            return this;
        }
        return new Dataset(Arrays.copyOf(pixels, n * pixelsPerImage()), Arrays.copyOf(labels, n), n, rows, cols);
    }

    /** rows * cols. */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /** The class of image {@code i}, 0-9. */
    public int label(int i) {
        return labels[i];
    }

    /** Sizes only: the arrays are too big to print. */
    @Override
    public String toString() {
        return "Dataset[" + count + " images of " + rows + "x" + cols + "]";
    }
}
