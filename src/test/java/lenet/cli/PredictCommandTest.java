package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import lenet.image.SampleImages;
import lenet.train.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lenet predict} as a user meets it: several files, folders, bad files, output forms. */
class PredictCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path model;
    static Path mnistLike;
    static Path printed;
    static byte[] mnistPixels = new byte[784];

    @BeforeAll
    static void makeModelAndImages() throws Exception {
        model = tmp.resolve("random.npz");
        lenet.TestModels.save(model, lenet.model.Activation.SIGMOID, lenet.model.Pooling.AVG, 5, null);
        // a 28x28 grey "1" on black: used as is
        for (int y = 4; y < 24; y++) for (int x = 13; x < 16; x++) mnistPixels[y * 28 + x] = (byte) 250;
        BufferedImage one = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        one.getRaster().setDataElements(0, 0, 28, 28, mnistPixels);
        mnistLike = tmp.resolve("one.png");
        ImageIO.write(one, "png", mnistLike.toFile());
        // a printed 7, dark blue on white, off-centre: preprocessed
        printed = tmp.resolve("seven.jpg");
        ImageIO.write(SampleImages.printed("7", "SansSerif", Font.BOLD, 90, 150, 120, new Color(10, 10, 90), Color.WHITE), "jpeg", printed.toFile());
    }

    static Cli predict(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "predict";
        all[1] = "--model";
        all[2] = model.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return Cli.run(all);
    }

    @Test
    void severalFilesGetOneLineEachInOrder() {
        Cli r = predict(mnistLike.toString(), printed.toString());
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].matches("\\Q" + mnistLike + "\\E  digit \\d  \\d+\\.\\d%   top 3: .*used as is\\)"), lines[0]);
        assertTrue(lines[1].startsWith(printed + "  digit "), lines[1]);
        assertTrue(lines[1].endsWith("(inverted)"), lines[1]);
        assertEquals(0, r.problemLines().length, r.err());
    }

    @Test
    void aFolderMeansItsImagesSortedByName() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("folder"));
        Files.copy(printed, dir.resolve("b.jpg"));
        Files.copy(mnistLike, dir.resolve("a.png"));
        Files.writeString(dir.resolve("readme.txt"), "not an image");
        Cli r = predict(dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        assertTrue(lines[0].startsWith(dir.resolve("a.png").toString()), lines[0]);
        assertTrue(lines[1].startsWith(dir.resolve("b.jpg").toString()), lines[1]);
    }

    @Test
    void aMissingFileIsOneLineAndTheOthersStillGetAnswers() {
        Path missing = tmp.resolve("missing.png");
        Cli r = predict(mnistLike.toString(), missing.toString(), printed.toString());
        assertEquals(1, r.exitCode());
        assertEquals(2, r.out().strip().split("\n").length, r.out());
        String[] err = r.problemLines();
        assertEquals("lenet: " + missing + ": no such file; check the name", err[0]);
        assertEquals("1 of 3 images could not be classified", err[1]);
        assertEquals(2, err.length, r.err());
    }

    @Test
    void aNonImageIsOneLineSayingUnsupported() throws Exception {
        Path text = Files.writeString(tmp.resolve("digit.png"), "7");
        Cli r = predict(text.toString());
        assertEquals(1, r.exitCode());
        assertEquals("", r.out());
        assertEquals(1, r.problemLines().length, r.err());
        assertTrue(r.problems().startsWith("lenet: " + text + ": unsupported or damaged image"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void jsonGivesOneObjectPerImageAndErrorsAsObjects() throws Exception {
        Path missing = tmp.resolve("gone.png");
        Cli r = predict("--json", mnistLike.toString(), missing.toString());
        assertEquals(1, r.exitCode());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        JsonNode ok = JSON.readTree(lines[0]);
        assertEquals(mnistLike.toString(), ok.get("file").asText());
        assertEquals(10, ok.get("probabilities").size());
        double sum = 0;
        int best = 0;
        for (int k = 0; k < 10; k++) {
            sum += ok.get("probabilities").get(k).asDouble();
            if (ok.get("probabilities").get(k).asDouble() > ok.get("probabilities").get(best).asDouble()) best = k;
        }
        assertEquals(1.0, sum, 1e-5);
        assertEquals(best, ok.get("digit").asInt());
        assertEquals(String.valueOf(best), ok.get("digits").asText());
        assertTrue(ok.get("as_is").asBoolean());
        assertTrue(ok.has("unsure"));
        assertEquals(1, ok.get("per_digit").size());
        JsonNode d = ok.get("per_digit").get(0);
        assertEquals(best, d.get("digit").asInt());
        assertEquals(28, d.get("box").get("width").asInt());
        assertEquals(10, d.get("probabilities").size());
        JsonNode bad = JSON.readTree(lines[1]);
        assertEquals(missing.toString(), bad.get("file").asText());
        assertTrue(bad.get("error").asText().contains("no such file"), lines[1]);
        assertEquals(2, bad.size());
    }

    /** Two MNIST-like digits side by side on light paper, as a user's scan of "42" would be. */
    static Path twoDigits() throws Exception {
        Path f = tmp.resolve("forty-two.png");
        if (Files.exists(f)) return f;
        BufferedImage img = new BufferedImage(220, 120, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 220, 120);
        g.setColor(Color.BLACK);
        g.setStroke(new java.awt.BasicStroke(9, java.awt.BasicStroke.CAP_ROUND, java.awt.BasicStroke.JOIN_ROUND));
        g.drawPolyline(new int[] {70, 30, 85}, new int[] {25, 75, 75}, 3); // a 4
        g.drawLine(70, 45, 70, 100);
        g.drawPolyline(new int[] {125, 140, 170, 180, 130, 185}, new int[] {40, 25, 25, 45, 100, 100}, 6); // a 2
        g.dispose();
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    @Test
    void severalDigitsAreReadLeftToRightWithABoxEach() throws Exception {
        Path f = twoDigits();
        Cli r = predict("--json", f.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals(2, o.get("digits").asText().length(), r.out());
        assertFalse(o.has("digit"), "no single digit for two: " + r.out());
        JsonNode first = o.get("per_digit").get(0), second = o.get("per_digit").get(1);
        assertTrue(first.get("box").get("x").asInt() < second.get("box").get("x").asInt(), r.out());
        assertTrue(first.get("box").get("x").asInt() + first.get("box").get("width").asInt() <= second.get("box").get("x").asInt() + 5, r.out());
        Cli text = predict(f.toString());
        assertTrue(text.out().startsWith(f + "  digits " + o.get("digits").asText() + "   "), text.out());
    }

    @Test
    void singleReadsTheWholeImageAsOneDigit() throws Exception {
        Cli r = predict("--single", "--json", twoDigits().toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode o = JSON.readTree(r.out());
        assertEquals(1, o.get("digits").asText().length());
        assertTrue(o.has("digit"));
    }

    @Test
    void savePreprocessedWritesEveryDigitOfAnImage() throws Exception {
        Path out = tmp.resolve("seen-each");
        Cli r = predict("--save-preprocessed", out.toString(), twoDigits().toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(out.resolve("forty-two.digit1.28x28.png")));
        assertTrue(Files.exists(out.resolve("forty-two.digit2.28x28.png")));
        assertTrue(r.err().contains("saved 2 preprocessed images"), r.err());
    }

    @Test
    void stepsWritesAPictureOfEachStep() throws Exception {
        Path out = tmp.resolve("steps");
        Cli r = predict("--steps", out.toString(), twoDigits().toString());
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage sheet = ImageIO.read(out.resolve("forty-two.steps.png").toFile());
        assertTrue(sheet.getWidth() > 400 && sheet.getHeight() > 400, sheet.getWidth() + "x" + sheet.getHeight());
    }

    @Test
    void aBlankPageNamesTheContrastTheFloorAndTheFlag() throws Exception {
        BufferedImage img = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new Color(235, 235, 235));
        g.fillRect(0, 0, 200, 150);
        g.setColor(new Color(228, 228, 228)); // a 3% trace: far under the 6% floor
        g.setStroke(new java.awt.BasicStroke(8));
        g.drawLine(100, 30, 100, 120);
        g.dispose();
        Path f = tmp.resolve("faint.png");
        ImageIO.write(img, "png", f.toFile());
        Cli r = predict(f.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no digit found") && r.err().contains("6% floor") && r.err().contains("--contrast"), r.err());
        Cli lowered = predict("--contrast", "0.02", f.toString());
        assertEquals(0, lowered.exitCode(), lowered.err());
        assertTrue(lowered.out().contains("digit"), lowered.out());
    }

    @Test
    void contrastOutsideZeroToOneIsAUsageError() {
        for (String x : new String[] {"0", "1", "-0.5", "NaN"}) {
            Cli r = predict("--contrast", x, mnistLike.toString());
            assertEquals(2, r.exitCode(), x + ": " + r.err());
            assertTrue(r.err().contains("--contrast"), r.err());
        }
    }

    @Test
    void aFolderSaysWhatItSkippedAndWhy() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(mnistLike, dir.resolve("a.png"));
        Files.writeString(dir.resolve("notes.txt"), "seven");
        Cli r = predict(dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("skipped " + dir.resolve("notes.txt") + ": not an image name"), r.err());
        assertEquals(1, r.out().strip().split("\n").length, r.out());
    }

    @Test
    void topKListsTheKMostProbable() {
        Cli r = predict("--top", "5", mnistLike.toString());
        assertEquals(0, r.exitCode(), r.err());
        String list = r.out().substring(r.out().indexOf("top 5: ") + 7).replaceAll("\\s+\\(.*", "").strip();
        assertEquals(5, list.split(", ").length, r.out());
    }

    @Test
    void topOutsideOneToTenIsAUsageError() {
        for (String k : new String[] {"0", "11"}) {
            Cli r = predict("--top", k, mnistLike.toString());
            assertEquals(2, r.exitCode(), r.err());
            assertTrue(r.err().contains("--top"), r.err());
        }
    }

    @Test
    void anUnknownInvertValueIsAUsageError() {
        Cli r = predict("--invert", "maybe", mnistLike.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--invert"), r.err());
    }

    @Test
    void noImageIsAUsageError() {
        assertEquals(2, predict().exitCode());
    }

    @Test
    void showDrawsWhatTheNetworkSawBesideTheProbabilities() {
        Cli r = predict("--show", mnistLike.toString());
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(28 + 2 + 1, lines.length, r.out()); // frame, 28 rows, frame, the answer line
        assertEquals("+" + "-".repeat(56) + "+", lines[0]);
        assertTrue(lines[5].startsWith("|" + " ".repeat(26) + "@@@@@@"), lines[5]); // the bar at columns 13-15
        assertTrue(lines[1 + 9].contains("|  0 "), lines[10]);
        assertTrue(lines[1 + 18].contains("|  9 "), lines[19]);
    }

    @Test
    void showWithJsonDrawsOnStderr() throws Exception {
        Cli r = predict("--show", "--json", mnistLike.toString());
        assertEquals(0, r.exitCode(), r.err());
        JSON.readTree(r.out());
        assertTrue(r.err().contains("@@@@@@"), r.err());
    }

    @Test
    void quietSavesWithoutSayingSo() throws Exception {
        Path out = tmp.resolve("seen-quietly");
        Cli r = predict("--quiet", "--save-preprocessed", out.toString(), mnistLike.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(0, r.problemLines().length, r.err());
        assertTrue(Files.exists(out.resolve("one.28x28.png")));
        assertFalse(r.out().isEmpty());
    }

    @Test
    void savePreprocessedWritesThe28x28GreyPngTheNetworkSaw() throws Exception {
        Path out = tmp.resolve("seen");
        Path other = Files.createDirectories(tmp.resolve("other")).resolve("one.png");
        Files.copy(mnistLike, other);
        Cli r = predict("--save-preprocessed", out.toString(), mnistLike.toString(), printed.toString(), other.toString());
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage one = ImageIO.read(out.resolve("one.28x28.png").toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, one.getType());
        byte[] back = new byte[784];
        one.getRaster().getDataElements(0, 0, 28, 28, back);
        assertArrayEquals(mnistPixels, back);
        BufferedImage seven = ImageIO.read(out.resolve("seven.28x28.png").toFile());
        assertEquals(28, seven.getWidth());
        assertTrue(Files.exists(out.resolve("one-2.28x28.png")), "a second one.png does not overwrite the first");
        assertTrue(r.err().contains("saved 3 preprocessed images in " + out), r.err());
    }

    @Test
    void aDecompressionBombIsRefusedAndTheOthersAnswered() throws Exception {
        Path bomb = Files.write(tmp.resolve("bomb.png"), lenet.image.ImageFilesTestAccess.pngClaiming(100_000, 100_000));
        Cli r = predict(bomb.toString(), mnistLike.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.problemLines()[0].contains("more than the 40-megapixel limit"), r.err());
        assertEquals(1, r.out().strip().split("\n").length);
    }

    @Test
    void helpListsPredictAndSummary() {
        Cli r = Cli.run("--help");
        assertTrue(r.out().contains("predict") && r.out().contains("summary"), r.out());
        assertTrue(Cli.run("predict", "--help").out().contains("--save-preprocessed"));
    }

    @Test
    void threadsOutsideOneTo64IsAUsageErrorEvenWhenNd4jIsNotStarted() {
        Cli r = predict("--threads", "0", mnistLike.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--threads must be between 1 and 64"), r.err());
        assertEquals(0, predict("--threads", "1", mnistLike.toString()).exitCode());
    }

    /**
     * A few images take the plain Java forward pass, and nothing on the way (checkpoint, --threads,
     * the command line) starts ND4J: a child JVM logs every class it initialises, and
     * {@code org.nd4j.linalg.factory.Nd4j} is not among them. {@code lenet summary}, which runs the
     * ND4J network, shows the same log does name it.
     */
    @Test
    void aFewImagesAreClassifiedWithoutStartingNd4j() throws Exception {
        String nd4jInit = "Initializing 'org/nd4j/linalg/factory/Nd4j'";
        String predicted = childJvm("predict", "--model", model.toString(), "--threads", "1", mnistLike.toString(), printed.toString());
        assertTrue(predicted.contains(mnistLike + "  digit "), predicted);
        assertFalse(predicted.contains(nd4jInit), "predict initialised ND4J");
        assertFalse(predicted.contains("Initializing 'org/bytedeco/"), "predict initialised JavaCPP");

        assertTrue(childJvm("--version").contains(nd4jInit), "the log names ND4J when it starts");
    }

    /** Runs lenet in a new JVM that logs each class it initialises; returns its output (stdout and stderr). */
    private static String childJvm(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+init=info", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(tmp, "child", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("lenet " + String.join(" ", args) + " did not finish within 60 s");
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void jsonGivesEachDigitsFamiliarityWhenItWasJudged() throws Exception {
        float[] p = new float[10];
        p[8] = 1;
        lenet.image.Page.Digit found = new lenet.image.Page.Digit(new lenet.image.Page.Box(1, 2, 10, 20), new byte[784], 0.5, "");
        lenet.train.Reading.DigitAnswer judged = new lenet.train.Reading.DigitAnswer(found, 8, p, "unlike the digits", 512.5, 291.25);
        lenet.train.Reading.DigitAnswer unjudged = new lenet.train.Reading.DigitAnswer(found, 8, p, null, Double.NaN, Double.NaN);
        lenet.image.Page.Result page = new lenet.image.Page.Result(List.of(found, found), false, true, List.of());
        lenet.train.Reading r = new lenet.train.Reading(Path.of("a.png"), page, List.of(judged, unjudged), null);
        JsonNode json = JSON.readTree(PredictCommand.jsonLine(r, lenet.data.Datasets.classes("mnist"), "m.npz"));
        JsonNode first = json.get("per_digit").get(0);
        assertEquals(512.5, first.get("familiarity").get("distance").asDouble());
        assertEquals(291.25, first.get("familiarity").get("limit").asDouble());
        assertFalse(json.get("per_digit").get(1).has("familiarity"), "not judged (no MNIST files, a Fashion-MNIST model): no field");
    }
}
