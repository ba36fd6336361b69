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
import lenet.TestModels;
import lenet.engine.Engine;
import lenet.engine.Engines;
import lenet.engine.nd4j.Nd4jEngine;
import lenet.model.Activation;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Outputs;
import lenet.model.Pooling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Predicting from image files gives what evaluating the IDX data gives. */
class PredictorTest {
    @TempDir
    Path tmp;

    /** Random weights with a fixed seed: no trained model needed, and every image gets a definite answer. */
    private static final ModelSpec RELU_MAX = TestModels.architecture(Activation.RELU, Pooling.MAX).spec();

    private static ModelState model() {
        return TestModels.random(Activation.RELU, Pooling.MAX, 11);
    }

    private static final Engine ND4J = new Nd4jEngine();
    private static final Engine PLAIN_JAVA = Engines.forLookingInside();

    /** A predictor for {@code net} that runs on {@code engine} whatever the number of images. */
    private static Predictor predictor(ModelSpec spec, ModelState net, Engine engine) {
        return new Predictor(spec, net, work -> engine);
    }

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
    @CsvSource({"ND4J, 1e-6", "plain Java, 1e-5"})
    void mnistTestImagesSavedAsPngGetTheEvaluatorsPredictions(String path, float tolerance) throws Exception {
        int n = 300;
        Dataset data = mnistTest(n);
        ModelState net = model();
        float[][] evaluated = new float[n][];
        Evaluator.evaluate(ND4J.network(RELU_MAX, net)::logits, 10, data, (first, labels, probabilities) -> {
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
        predictor(RELU_MAX, net, path.equals("ND4J") ? ND4J : PLAIN_JAVA).predictFiles(files, Page.Options.defaults(), f -> Page.Trace.NONE, answers::add);

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
        new Predictor(RELU_MAX, model()).predictFiles(List.of(bad, good, tmp.resolve("missing.png")), Page.Options.defaults(), f -> Page.Trace.NONE, answers::add);

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
        Predictor p = new Predictor(RELU_MAX, model());
        assertTrue(p.startsNothingNative(1));
        assertTrue(p.startsNothingNative(Engines.REFERENCE_UP_TO));
        assertFalse(p.startsNothingNative(Engines.REFERENCE_UP_TO + 1));
        assertEquals(PLAIN_JAVA.name(), Engines.forScoring(RELU_MAX, Engines.REFERENCE_UP_TO).name());
        assertEquals(ND4J.name(), Engines.forScoring(RELU_MAX, Engines.REFERENCE_UP_TO + 1).name());
    }

    @ParameterizedTest(name = "{0} + {1} pooling")
    @CsvSource({"SIGMOID, AVG", "SIGMOID, MAX", "RELU, AVG", "RELU, MAX"})
    void bothForwardPassesGiveTheSameDigitsAndProbabilities(Activation activation, Pooling pooling) {
        int n = 200;
        Dataset data = mnistTest(n);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < n; i++) images.add(java.util.Arrays.copyOfRange(data.pixels(), i * 784, (i + 1) * 784));
        ModelSpec spec = TestModels.architecture(activation, pooling).spec();
        ModelState net = TestModels.random(activation, pooling, 3);

        float[][] nd4j = predictor(spec, net, ND4J).probabilities(images);
        float[][] plain = predictor(spec, net, PLAIN_JAVA).probabilities(images);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(nd4j[i], plain[i], 1e-5f, "image " + i);
            assertEquals(argmax(nd4j[i]), argmax(plain[i]), "image " + i);
        }
    }

    @Test
    void topListsDigitsByProbability() {
        float[] p = {0.1f, 0, 0.5f, 0, 0, 0, 0, 0.3f, 0, 0.1f};
        assertArrayEquals(new int[] {2, 7}, Outputs.top(p, 2));
    }

    @Test
    void softmaxIsShiftInvariantAndSumsToOne() {
        float[] p = Outputs.softmax(new float[] {1000, 1001, 999}, 0, 3);
        assertArrayEquals(Outputs.softmax(new float[] {1, 2, 0}, 0, 3), p, 1e-7f);
        assertEquals(1f, p[0] + p[1] + p[2], 1e-6f);
    }

    private static int argmax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
        return best;
    }
}
