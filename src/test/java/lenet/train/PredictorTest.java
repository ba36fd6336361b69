package lenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import lenet.data.Dataset;
import lenet.image.Page;
import lenet.nn.LeNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Predicting from image files gives what evaluating the IDX data gives. */
class PredictorTest {
    @TempDir
    Path tmp;

    /** Random weights with a fixed seed: no trained model needed, and every image gets a definite answer. */
    private static LeNet model() {
        return LeNet.create(LeNet.Activation.RELU, LeNet.Pooling.MAX, new Random(11));
    }

    /** A predictor for {@code net} that uses plain Java for up to {@code plainJavaUpTo} images and ND4J above. */
    private static Predictor predictor(LeNet net, int plainJavaUpTo) {
        return new Predictor(net.activation(), net.pooling(), Checkpoint.arraysOf(net), plainJavaUpTo);
    }

    private static final int ALWAYS_ND4J = 0;
    private static final int ALWAYS_PLAIN_JAVA = Integer.MAX_VALUE;

    private static Dataset mnistTest(int n) {
        Path dir = Path.of("data/mnist");
        if (!Files.isDirectory(dir)) fail(dir + " is missing: run scripts/fetch-data.sh mnist, then re-run the tests");
        return Dataset.loadSplit(dir, "test").limit(n);
    }

    /**
     * Through ND4J the probabilities are the evaluator's to 1e-6 (the same kernels, other batch
     * sizes); through plain Java they differ by float rounding only (summation order).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ND4J, 0, 1e-6", "plain Java, 2147483647, 1e-5"})
    void mnistTestImagesSavedAsPngGetTheEvaluatorsPredictions(String path, int plainJavaUpTo, float tolerance) throws Exception {
        int n = 300;
        Dataset data = mnistTest(n);
        LeNet net = model();
        float[][] evaluated = new float[n][];
        Evaluator.evaluate(net, data, (first, labels, probabilities) -> {
            for (int i = 0; i < labels.length; i++) evaluated[first + i] = probabilities[i];
        });

        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(data.pixels(), i * 784, (i + 1) * 784));
            Path f = tmp.resolve(String.format("%03d.png", i));
            ImageIO.write(img, "png", f.toFile());
            files.add(f);
        }
        List<Reading> answers = new ArrayList<>();
        predictor(net, plainJavaUpTo).predictFiles(files, Page.Options.defaults(), f -> Page.Trace.NONE, answers::add);

        assertEquals(n, answers.size());
        for (int i = 0; i < n; i++) {
            Reading a = answers.get(i);
            assertEquals(files.get(i), a.file());
            assertTrue(a.page().asIs(), "image " + i + " is used as is");
            assertEquals(1, a.digits().size(), "image " + i);
            assertEquals(argmax(evaluated[i]), a.digits().get(0).digit(), "image " + i);
            assertArrayEquals(evaluated[i], a.digits().get(0).probabilities(), tolerance, "image " + i);
        }
    }

    @Test
    void aBadFileGetsItsErrorAndTheOthersTheirAnswersInOrder() throws Exception {
        Dataset data = mnistTest(2);
        Path good = tmp.resolve("good.png");
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOf(data.pixels(), 784));
        ImageIO.write(img, "png", good.toFile());
        Path bad = Files.writeString(tmp.resolve("bad.png"), "not a picture");
        List<Reading> answers = new ArrayList<>();
        predictor(model(), Predictor.PLAIN_JAVA_UP_TO).predictFiles(List.of(bad, good, tmp.resolve("missing.png")), Page.Options.defaults(), f -> Page.Trace.NONE, answers::add);

        assertEquals(3, answers.size());
        assertFalse(answers.get(0).ok());
        assertTrue(answers.get(0).error().startsWith(bad + ": unsupported or damaged image"), answers.get(0).error());
        assertTrue(answers.get(0).digits().isEmpty());
        assertTrue(answers.get(1).ok());
        float sum = 0;
        for (float p : answers.get(1).digits().get(0).probabilities()) sum += p;
        assertEquals(1f, sum, 1e-5f);
        assertFalse(answers.get(2).ok());
    }

    @Test
    void upToTheThresholdPlainJavaAboveItNd4j() {
        Predictor p = new Predictor(LeNet.Activation.RELU, LeNet.Pooling.MAX, Checkpoint.arraysOf(model()));
        assertTrue(p.usesPlainJava(1));
        assertTrue(p.usesPlainJava(Predictor.PLAIN_JAVA_UP_TO));
        assertFalse(p.usesPlainJava(Predictor.PLAIN_JAVA_UP_TO + 1));
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void bothForwardPassesGiveTheSameDigitsAndProbabilities(LeNet.Activation activation, LeNet.Pooling pooling) {
        int n = 200;
        Dataset data = mnistTest(n);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) images.add(java.util.Arrays.copyOfRange(data.pixels(), i * 784, (i + 1) * 784));
        LeNet net = LeNet.create(activation, pooling, new Random(3));

        float[][] nd4j = predictor(net, ALWAYS_ND4J).probabilities(images);
        float[][] plain = predictor(net, ALWAYS_PLAIN_JAVA).probabilities(images);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(nd4j[i], plain[i], 1e-5f, "image " + i);
            assertEquals(argmax(nd4j[i]), argmax(plain[i]), "image " + i);
        }
    }

    @Test
    void topListsDigitsByProbability() {
        float[] p = {0.1f, 0, 0.5f, 0, 0, 0, 0, 0.3f, 0, 0.1f};
        assertArrayEquals(new int[] {2, 7}, Reading.top(p, 2));
    }

    @Test
    void softmaxIsShiftInvariantAndSumsToOne() {
        float[] p = Predictor.softmax(new float[] {1000, 1001, 999});
        assertArrayEquals(Predictor.softmax(new float[] {1, 2, 0}), p, 1e-7f);
        assertEquals(1f, p[0] + p[1] + p[2], 1e-6f);
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
        return best;
    }
}
