package lenet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The real data sets, as scripts/fetch-data.sh leaves them in data/. Missing data fails these
 * tests rather than skipping them, so a green run always means the real files were read.
 */
class RealDataTest {
    private static final Path MNIST = Path.of("data/mnist");
    private static final Path FASHION_MNIST = Path.of("data/fashion-mnist");

    @Test
    void mnistTrainHas60000ImagesOf28x28() {
        Dataset train = Dataset.loadSplit(fetched(MNIST), "train");

        assertEquals(60000, train.count());
        assertEquals(28, train.rows());
        assertEquals(28, train.cols());
        assertArrayEquals(new byte[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(train.labels(), 10));
    }

    @Test
    void mnistTestHas10000ImagesWithTheKnownLabelCounts() {
        Dataset test = Dataset.loadSplit(fetched(MNIST), "test");

        assertEquals(10000, test.count());
        assertEquals(28, test.rows());
        assertEquals(28, test.cols());
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, labelCounts(test));
        assertArrayEquals(new byte[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, Arrays.copyOf(test.labels(), 10));
    }

    @Test
    void fashionMnistTestLoadsFromGzip() {
        Dataset test = Dataset.loadSplit(fetched(FASHION_MNIST), "test");

        assertEquals(10000, test.count());
        assertEquals(28, test.rows());
        assertEquals(28, test.cols());
        int[] thousandEach = new int[Dataset.CLASSES];
        Arrays.fill(thousandEach, 1000);
        assertArrayEquals(thousandEach, labelCounts(test));
    }

    private static Path fetched(Path dir) {
        if (!Files.isDirectory(dir)) {
            fail(dir + " is missing: run scripts/fetch-data.sh to download the data sets, then re-run the tests");
        }
        return dir;
    }

    private static int[] labelCounts(Dataset data) {
        int[] counts = new int[Dataset.CLASSES];
        for (byte label : data.labels()) {
            counts[label]++;
        }
        return counts;
    }
}
