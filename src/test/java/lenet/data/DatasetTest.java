package lenet.data;

import static lenet.data.IdxBytes.failureOf;
import static lenet.data.IdxBytes.gzip;
import static lenet.data.IdxBytes.imagesFile;
import static lenet.data.IdxBytes.labelsFile;
import static lenet.data.IdxBytes.pixels;
import static lenet.data.IdxBytes.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import lenet.LenetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    @TempDir
    Path dir;

    @Test
    void loadPairsImagesWithTheirLabels() {
        Path images = write(dir, "images", imagesFile(3, 2, 2));
        Path labels = write(dir, "labels", labelsFile(7, 0, 9));

        Dataset data = Dataset.load(images, labels);

        assertEquals(3, data.count());
        assertEquals(2, data.rows());
        assertEquals(2, data.cols());
        assertEquals(4, data.pixelsPerImage());
        assertArrayEquals(pixels(3, 2, 2), data.pixels());
        assertArrayEquals(new byte[] {7, 0, 9}, data.labels());
        assertEquals(9, data.label(2));
    }

    @Test
    void gzippedPairLoadsTheSame() {
        Path images = write(dir, "images.gz", gzip(imagesFile(3, 2, 2)));
        Path labels = write(dir, "labels.gz", gzip(labelsFile(7, 0, 9)));

        Dataset data = Dataset.load(images, labels);

        assertArrayEquals(pixels(3, 2, 2), data.pixels());
        assertArrayEquals(new byte[] {7, 0, 9}, data.labels());
    }

    @Test
    void labelAboveNineIsNamedWithItsIndex() {
        Path images = write(dir, "images", imagesFile(4, 2, 2));
        Path labels = write(dir, "labels-idx1-ubyte", labelsFile(1, 2, 12, 200));

        failureOf(labels, () -> Dataset.load(images, labels), "label 12 at index 2 is outside 0-9");
    }

    @Test
    void imageAndLabelCountsMustAgree() {
        Path images = write(dir, "train-images-idx3-ubyte", imagesFile(3, 2, 2));
        Path labels = write(dir, "t10k-labels-idx1-ubyte", labelsFile(1, 2));

        String message = failureOf(images, () -> Dataset.load(images, labels),
                "has 3 images but", "has 2 labels", "same split");
        assertTrue(message.contains("t10k-labels-idx1-ubyte"), message);
    }

    @Test
    void loadSplitReadsTrainAndT10kFiles() {
        write(dir, "train-images-idx3-ubyte", imagesFile(3, 2, 2));
        write(dir, "train-labels-idx1-ubyte", labelsFile(1, 2, 3));
        write(dir, "t10k-images-idx3-ubyte", imagesFile(2, 2, 2));
        write(dir, "t10k-labels-idx1-ubyte", labelsFile(4, 5));

        assertEquals(3, Dataset.loadSplit(dir, "train").count());
        assertEquals(2, Dataset.loadSplit(dir, "test").count());
    }

    @Test
    void loadSplitTakesTheGzippedFilesWhenTheyAreAllThereIs() {
        write(dir, "t10k-images-idx3-ubyte.gz", gzip(imagesFile(2, 2, 2)));
        write(dir, "t10k-labels-idx1-ubyte.gz", gzip(labelsFile(4, 5)));

        assertArrayEquals(new byte[] {4, 5}, Dataset.loadSplit(dir, "test").labels());
    }

    @Test
    void loadSplitPrefersTheRawFileWhenBothExist() {
        write(dir, "t10k-images-idx3-ubyte", imagesFile(2, 2, 2));
        write(dir, "t10k-images-idx3-ubyte.gz", new byte[] {0x1f, (byte) 0x8b}); // would fail if read
        write(dir, "t10k-labels-idx1-ubyte", labelsFile(4, 5));

        assertEquals(2, Dataset.loadSplit(dir, "test").count());
    }

    @Test
    void loadSplitListsTheNamesItLookedFor() {
        write(dir, "train-images-idx3-ubyte", imagesFile(1, 2, 2));

        failureOf(dir, () -> Dataset.loadSplit(dir, "train"),
                "found neither train-labels-idx1-ubyte nor train-labels-idx1-ubyte.gz", "run scripts/fetch-data.sh");
    }

    @Test
    void loadSplitOfAMissingDirectorySuggestsTheFetchScript() {
        Path missing = dir.resolve("fashion-mnist");

        failureOf(missing, () -> Dataset.loadSplit(missing, "train"), "no such directory", "run scripts/fetch-data.sh");
    }

    @Test
    void loadSplitKnowsOnlyTrainAndTest() {
        String message = assertThrows(LenetException.class, () -> Dataset.loadSplit(dir, "validation")).getMessage();

        assertEquals("unknown split 'validation'; use train or test", message);
    }

    @Test
    void limitKeepsTheFirstImagesAndTheirLabels() {
        Dataset data = new Dataset(pixels(3, 2, 2), new byte[] {7, 0, 9}, 3, 2, 2);

        Dataset first2 = data.limit(2);

        assertEquals(2, first2.count());
        assertArrayEquals(Arrays.copyOf(pixels(3, 2, 2), 8), first2.pixels());
        assertArrayEquals(new byte[] {7, 0}, first2.labels());
        assertSame(data, data.limit(3));
        assertSame(data, data.limit(100));
    }

    @Test
    void constructorRejectsArraysThatDisagreeWithTheSizes() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new byte[7], new byte[2], 2, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new Dataset(new byte[8], new byte[3], 2, 2, 2));
    }

    @Test
    void toStringGivesSizesNotBytes() {
        assertEquals("Dataset[2 images of 2x2]", new Dataset(new byte[8], new byte[2], 2, 2, 2).toString());
    }
}
