package lenet.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import lenet.data.Dataset;
import lenet.TestModels;
import lenet.engine.Engines;
import lenet.model.Activation;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Pooling;
import lenet.train.Evaluation;
import lenet.train.Evaluator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report on a random-weight LeNet and made-up digits: every file, its size, its links, its numbers. */
class ReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Dataset data;
    static final ModelSpec SPEC = TestModels.architecture(Activation.SIGMOID, Pooling.AVG).spec();
    static ModelState model;
    static Path out;
    static Report.Result result;
    static String html;

    @BeforeAll
    static void writeReport() throws Exception {
        data = MadeUpDigits.of(200, 7);
        model = TestModels.random(Activation.SIGMOID, Pooling.AVG, 3);
        Path csv = tmp.resolve("metrics.csv");
        Files.writeString(csv, "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,images_per_second,lr\n"
                + "1,2.31,0.10,2.30,0.11,1.0,100.0,0.1\n2,1.20,0.60,0.90,0.70,1.0,100.0,0.1\n");
        out = tmp.resolve("report");
        List<String> progress = new ArrayList<>();
        result = Report.write(new Report.Input(tmp.resolve("model.npz"), SPEC, model, null, data, "made-up digits", lenet.data.Datasets.classes("mnist"), 13, 24, csv), out, progress::add);
        html = Files.readString(result.html(), StandardCharsets.UTF_8);
        assertFalse(progress.isEmpty(), "says what it is doing");
    }

    @Test
    void everyPictureDecodesHasItsSizeAndIsNotBlank() throws Exception {
        Pictures.check(out.resolve(Report.CURVES), 800, 480, 20);
        Pictures.check(out.resolve(Report.PER_CLASS), 800, 420, 20);
        Pictures.check(out.resolve(Report.CONFUSION), 650, 696, 20);
        Pictures.check(out.resolve(Report.FILTERS), 770, 268, 20);
        Pictures.check(out.resolve(Report.FEATURE_MAPS), FeatureMaps.width(), FeatureMaps.height(stages()), 20);
        Pictures.check(out.resolve(Report.MISTAKES), MistakesPicture.width(), MistakesPicture.height(24), 20);
    }

    @Test
    void thePageStatesEachPicturesRealSize() throws Exception {
        Matcher m = Pattern.compile("<img src=\"([^\"]+)\"[^>]* width=\"(\\d+)\" height=\"(\\d+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            images++;
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(out.resolve(m.group(1)).toFile());
            assertEquals(Integer.parseInt(m.group(2)), image.getWidth(), m.group(1));
            assertEquals(Integer.parseInt(m.group(3)), image.getHeight(), m.group(1));
        }
        assertEquals(6, images, "curves, confusion, per-class, mistakes, filters, feature maps");
    }

    @Test
    void thePageLinksOnlyFilesBesideItAndNothingOnTheNetwork() {
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        List<String> targets = new ArrayList<>();
        while (m.find()) targets.add(m.group(1));
        assertTrue(targets.size() >= 6, targets.toString());
        for (String t : targets) {
            if (t.startsWith("#")) {
                assertTrue(html.contains("id=\"" + t.substring(1) + "\""), "anchor " + t + " exists");
                continue;
            }
            assertFalse(t.contains(":") || t.startsWith("/") || t.contains(".."), "relative link: " + t);
            assertTrue(Files.isRegularFile(out.resolve(t)), t + " exists beside report.html");
        }
        for (String external : new String[] {"<script", "<link", "@import", "url(", "http:", "https:"}) {
            assertFalse(html.contains(external), "no " + external);
        }
        for (String picture : new String[] {Report.CURVES, Report.CONFUSION, Report.PER_CLASS, Report.MISTAKES, Report.FILTERS, Report.FEATURE_MAPS}) {
            assertTrue(targets.contains(picture), picture + " is shown");
        }
    }

    @Test
    void theConfusionMatrixInTheSourceDataIsTheEvaluators() throws Exception {
        Evaluation expected = Evaluator.evaluate(Engines.forScoring(SPEC, data.count()).network(SPEC, model)::logits, 10, data);
        JsonNode metrics = JSON.readTree(out.resolve(Report.METRICS).toFile());
        long[][] written = JSON.treeToValue(metrics.get("confusion"), long[][].class);
        assertArrayEquals(expected.confusion(), written);
        assertEquals(expected.count(), metrics.get("count").asInt());
        assertEquals(expected.correct(), metrics.get("correct").asInt());
        assertEquals(expected.accuracy(), metrics.get("accuracy").asDouble(), 0.0);
        assertEquals(expected.loss(), metrics.get("loss").asDouble(), 1e-12);
        assertArrayEquals(expected.confusion(), result.evaluation().confusion());
    }

    @Test
    void thePageShowsTheNumbers() {
        Evaluation e = result.evaluation();
        assertTrue(html.contains(Curves.percent(e.accuracy())), "accuracy");
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.4f", e.loss())), "loss");
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%,d images", e.count())), "count");
        assertTrue(html.contains("precision") && html.contains("recall") && html.contains("F1"));
    }

    @Test
    void perClassNumbersAreWrittenWithNullForNothingToDivideBy() throws Exception {
        JsonNode perClass = JSON.readTree(out.resolve(Report.METRICS).toFile()).get("per_class");
        assertEquals(10, perClass.size());
        List<ClassMetrics> expected = ClassMetrics.of(result.evaluation().confusion());
        for (int d = 0; d < 10; d++) {
            JsonNode n = perClass.get(d);
            assertEquals(d, n.get("digit").asInt());
            assertEquals(expected.get(d).support(), n.get("support").asLong());
            double p = expected.get(d).precision();
            if (Double.isNaN(p)) assertTrue(n.get("precision").isNull());
            else assertEquals(p, n.get("precision").asDouble(), 1e-12);
        }
    }

    @Test
    void theMistakesShownAreWrongAndMostConfidentFirst() throws Exception {
        JsonNode metrics = JSON.readTree(out.resolve(Report.METRICS).toFile());
        long total = metrics.get("mistakes_total").asLong();
        JsonNode shown = metrics.get("mistakes_shown");
        assertTrue(total > 24, "a random network gets most made-up digits wrong");
        assertEquals(24, shown.size());
        double previous = 1;
        for (JsonNode m : shown) {
            assertNotEquals(m.get("label").asInt(), m.get("predicted").asInt());
            assertEquals(data.label(m.get("index").asInt()), m.get("label").asInt());
            assertTrue(m.get("confidence").asDouble() <= previous);
            previous = m.get("confidence").asDouble();
        }
    }

    @Test
    void theFeatureMapsAreOfTheChosenImage() throws Exception {
        JsonNode fm = JSON.readTree(out.resolve(Report.METRICS).toFile()).get("feature_maps");
        assertEquals(13, fm.get("image_index").asInt());
        assertEquals(data.label(13), fm.get("label").asInt());
        Map<String, String> shapes = new LinkedHashMap<>();
        for (JsonNode s : fm.get("stages")) shapes.put(s.get("name").asText(), s.get("shape").toString());
        assertEquals("{input=[1,28,28], conv1 + sigmoid=[6,28,28], pool1 (average 2x2)=[6,14,14], conv2 + sigmoid=[16,10,10], "
                + "pool2 (average 2x2)=[16,5,5]}", shapes.toString());
    }

    @Test
    void withoutMetricsCsvThereAreNoCurvesAndThePageSaysWhy() throws Exception {
        Path bare = tmp.resolve("bare");
        Report.Result r = Report.write(new Report.Input(tmp.resolve("m.npz"), SPEC, model, null, data, "made-up digits", lenet.data.Datasets.classes("mnist"), 0, 0,
                tmp.resolve("nowhere/metrics.csv")), bare, line -> {});
        assertNotNull(r.curvesNote());
        assertFalse(Files.exists(bare.resolve(Report.CURVES)));
        String page = Files.readString(r.html());
        assertTrue(page.contains("No learning curves") && !page.contains("src=\"" + Report.CURVES + "\""), "no broken image");
        Pictures.check(bare.resolve(Report.MISTAKES), MistakesPicture.width(), MistakesPicture.height(0), 3);
    }

    @Test
    void anImageIndexOutsideTheDataIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Report.write(new Report.Input(tmp.resolve("m.npz"), SPEC, model, null, data, "d", lenet.data.Datasets.classes("mnist"),
                data.count(), 24, null), tmp.resolve("never"), line -> {}));
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    private static List<FeatureMaps.Stage> stages() {
        int pixels = data.pixelsPerImage();
        float[] x = new float[pixels];
        for (int i = 0; i < pixels; i++) x[i] = (data.pixels()[13 * pixels + i] & 0xFF) / 255f;
        return FeatureMaps.compute(SPEC, Engines.forLookingInside().network(SPEC, model).trace(x));
    }
}
