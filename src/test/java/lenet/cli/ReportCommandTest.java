package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lenet report on a model trained for one epoch on made-up digits. */
class ReportCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("confusion.png", "per-class.png", "mistakes.png", "filters.png", "feature-maps.png",
            "curves.png", "metrics.json", "report.html");

    @TempDir
    static Path tmp;

    static Path data;
    static Path model;

    @BeforeAll
    static void trainAModel() throws Exception {
        data = MnistFixture.write(tmp.resolve("data"), 300, 100);
        Path run = tmp.resolve("run");
        Cli train = Cli.run("train", "--data", data.toString(), "--out", run.toString(), "--epochs", "2", "--batch-size", "32", "--lr", "0.05",
                "--momentum", "0.9", "--activation", "relu", "--pool", "max", "--schedule", "constant", "--shift", "0", "--threads", "1", "--quiet");
        assertEquals(0, train.exitCode(), train.err());
        model = run.resolve("last.npz");
    }

    @Test
    void aReportBesideTheModelHasEveryFileAndTheCurves() throws Exception {
        Cli r = Cli.run("report", "--model", model.toString(), "--data", data.toString(), "--image-index", "5");
        assertEquals(0, r.exitCode(), r.err());
        Path dir = model.getParent().resolve("report");
        for (String f : FILES) assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        for (String f : FILES) {
            if (f.endsWith(".png")) assertTrue(ImageIO.read(dir.resolve(f).toFile()).getWidth() > 500, f);
        }
        assertTrue(r.out().contains("report " + dir.resolve("report.html")), r.out());
        assertTrue(r.out().startsWith("accuracy "), r.out());
        assertTrue(r.err().contains("scoring 100 images"), "progress on stderr: " + r.err());
        assertEquals(5, JSON.readTree(dir.resolve("metrics.json").toFile()).get("feature_maps").get("image_index").asInt());
    }

    @Test
    void theConfusionMatrixInTheReportIsEvals() throws Exception {
        Path out = tmp.resolve("for-eval");
        Cli report = Cli.run("report", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(), "--quiet");
        assertEquals(0, report.exitCode(), report.err());
        Cli eval = Cli.run("eval", "--model", model.toString(), "--data", data.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode scored = JSON.readTree(eval.out());
        JsonNode written = JSON.readTree(out.resolve("metrics.json").toFile());
        assertArrayEquals(JSON.treeToValue(scored.get("confusion"), long[][].class), JSON.treeToValue(written.get("confusion"), long[][].class));
        assertEquals(scored.get("accuracy").asDouble(), written.get("accuracy").asDouble(), 0.0);
        assertEquals(scored.get("loss").asDouble(), written.get("loss").asDouble(), 0.0);
        assertEquals(scored.get("count").asInt(), written.get("count").asInt());
    }

    @Test
    void jsonNamesEveryFileWritten() throws Exception {
        Path out = tmp.resolve("json");
        Cli r = Cli.run("report", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(out.resolve("report.html").toString(), j.get("report").asText());
        assertEquals(FILES.size(), j.get("files").size());
        for (JsonNode f : j.get("files")) assertTrue(Files.isRegularFile(Path.of(f.asText())), f.asText());
        assertEquals(100, j.get("count").asInt());
    }

    @Test
    void quietLeavesStderrEmpty() {
        Cli r = Cli.run("report", "--model", model.toString(), "--data", data.toString(), "--out", tmp.resolve("quiet").toString(), "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertFalse(r.out().isEmpty(), "results still on stdout");
    }

    @Test
    void anImageIndexOutsideTheTestSetIsAUsageErrorNamingTheFlag() {
        Cli r = Cli.run("report", "--model", model.toString(), "--data", data.toString(), "--out", tmp.resolve("never").toString(),
                "--image-index", "100");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--image-index") && r.err().contains("99"), r.err());
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    @Test
    void tooManyMistakesIsAUsageError() {
        Cli r = Cli.run("report", "--model", model.toString(), "--data", data.toString(), "--mistakes", "1000");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--mistakes"), r.err());
    }

    @Test
    void missingDataSaysHowToFetchIt() {
        Cli r = Cli.run("report", "--model", model.toString(), "--data", tmp.resolve("nowhere").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.problemLines().length, r.err());
        assertTrue(r.err().contains("fetch-data.sh"), r.err());
    }

    @Test
    void aMissingModelIsOneLineAndExitOne() {
        Cli r = Cli.run("report", "--model", tmp.resolve("none.npz").toString(), "--data", data.toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("none.npz"), r.err());
    }
}
