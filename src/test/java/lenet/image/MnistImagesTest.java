package lenet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import lenet.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Preprocessing against MNIST itself (fetched by scripts/fetch-data.sh; missing data fails these
 * tests): MNIST images pass as they are, and the stroke constant is what MNIST's digits measure.
 */
class MnistImagesTest {
    @TempDir
    Path tmp;

    static Dataset mnistTest() {
        Path dir = Path.of("data/mnist");
        if (!Files.isDirectory(dir)) fail(dir + " is missing: run scripts/fetch-data.sh mnist, then re-run the tests");
        return Dataset.loadSplit(dir, "test");
    }

    @Test
    void everyMnistTestImageCountsAsMnistShaped() {
        Dataset test = mnistTest();
        for (int i = 0; i < test.count(); i++) {
            byte[] px = Arrays.copyOfRange(test.pixels(), i * 784, (i + 1) * 784);
            assertTrue(Preprocessing.darkBorder(px, 28), "MNIST test image " + i);
        }
    }

    @Test
    void mnistImagesSavedAsPngComeBackByteForByte() throws Exception {
        Dataset test = mnistTest();
        for (int i = 0; i < 200; i++) {
            Path f = tmp.resolve(i + ".png");
            ImageIO.write(SampleImages.mnistPng(test, i), "png", f.toFile());
            Preprocessing.Result r = Preprocessing.fromFile(f, Preprocessing.Invert.AUTO);
            assertTrue(r.asIs(), "image " + i);
            assertArrayEquals(Arrays.copyOfRange(test.pixels(), i * 784, (i + 1) * 784), r.pixels(), "image " + i);
        }
    }

    /**
     * MNIST_STROKE_RATIO is the median over MNIST's digits of stroke width / longer side, measured on
     * the black-and-white drawings this pipeline rebuilds from them (enlarged, Otsu, cropped).
     * Measured on all 10,000 test digits: quartiles 0.110, 0.127, 0.148. The first and second halves
     * of the test set come from different writers (NIST's SD-3 and SD-1) with different pens, so the
     * test takes every tenth digit of the whole set.
     */
    @Test
    void theStrokeConstantIsMnistsMedianStroke() {
        Dataset test = mnistTest();
        int n = 1000;
        double[] ratio = new double[n];
        for (int j = 0; j < n; j++) {
            int i = 10 * j;
            float[] v = new float[784];
            for (int k = 0; k < 784; k++) v[k] = (test.pixels()[i * 784 + k] & 0xFF) / 255f;
            GreyImage ink = Preprocessing.removeBackground(Preprocessing.workingSize(new GreyImage(28, 28, v)));
            GreyImage drawing = Preprocessing.cropToInk(Preprocessing.bilevel(ink));
            ratio[j] = Preprocessing.strokeWidth(drawing) / drawing.longerSide();
        }
        Arrays.sort(ratio);
        assertEquals(Preprocessing.MNIST_STROKE_RATIO, ratio[n / 2], 0.005);
    }
}
