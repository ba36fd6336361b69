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
import lenet.io.Npz;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line as a user meets it: exit codes, messages, files written. */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = MnistFixture.write(tmp.resolve("data"), 300, 100);
    }

    /** A short, fully specified run on the made-up data; flags in {@code more} replace the defaults of the same name. */
    static Cli train(Path out, String... more) {
        java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
        String[] defaults = {"--data", data.toString(), "--out", out.toString(), "--epochs", "2", "--batch-size", "32", "--lr", "0.05",
            "--momentum", "0.9", "--activation", "relu", "--pool", "max", "--schedule", "constant", "--shift", "0", "--threads", "1"};
        for (int i = 0; i < defaults.length; i += 2) flags.put(defaults[i], defaults[i + 1]);
        List<String> extra = new java.util.ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            if (flags.containsKey(more[i]) && i + 1 < more.length) flags.put(more[i], more[++i]);
            else extra.add(more[i]);
        }
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        flags.forEach((k, v) -> args.addAll(List.of(k, v)));
        args.addAll(extra);
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Cli r = Cli.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("train") && r.out().contains("eval") && r.out().contains("Exit codes"), r.out());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String cmd : new String[] {"train", "eval", "predict", "report", "summary", "bench"}) {
            Cli r = Cli.run(cmd, "--help");
            assertEquals(0, r.exitCode(), cmd);
            assertTrue(r.out().contains("--json"), cmd + ": " + r.out());
        }
    }

    @Test
    void aRunWritesWhereItsEpochIsForTheLivePage() throws Exception {
        Path out = tmp.resolve("run-progress");
        Cli r = train(out);
        assertEquals(0, r.exitCode(), r.err());
        // Rewritten at most once a second and after each epoch's last step: here the last epoch, done.
        JsonNode p = JSON.readTree(out.resolve("progress.json").toFile());
        assertEquals(2, p.path("epoch").asInt());
        assertEquals(2, p.path("epochs").asInt());
        assertEquals(300, p.path("images").asInt());
        assertEquals(300, p.path("total").asInt());
        assertTrue(p.path("train_loss").isNumber() && p.path("train_accuracy").isNumber() && p.path("seconds").isNumber(), p.toString());
    }

    @Test
    void versionNamesTheTool() {
        Cli r = Cli.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("lenet "), r.out());
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, Cli.run().exitCode());
    }

    @ParameterizedTest
    @CsvSource({
        "--epochs, 0", "--batch-size, -1", "--lr, NaN", "--lr, -0.1", "--threads, 999", "--momentum, 1.5",
        "--weight-decay, -1", "--shift, 30", "--limit, 0", "--schedule, sometimes", "--recipe, fast", "--activation, tanh", "--init-gain, 0", "--init-gain, -4"})
    void nonsenseValuesAreUsageErrorsNamingTheFlag(String flag, String value) {
        Cli r = Cli.run("train", "--data", data.toString(), "--out", tmp.resolve("never").toString(), flag, value);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(flag), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(Files.exists(tmp.resolve("never").resolve("last.npz")));
    }

    @Test
    void aRunStartedFromGivenWeightsSaysSoNotHowItWouldHaveDrawnThem() throws Exception {
        Path first = tmp.resolve("run-first");
        assertEquals(0, train(first, "--epochs", "1").exitCode());
        Path second = tmp.resolve("run-from-first");
        // A short run on the default recipe: the recipe would raise Xavier's gain for it, but the
        // weights come from the file, so neither the recipe line nor the note may speak of a gain.
        Cli r = Cli.run("train", "--data", data.toString(), "--out", second.toString(), "--epochs", "1", "--threads", "1",
                "--activation", "relu", "--pool", "max", "--init", first.resolve("last.npz").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains(": weights from " + first.resolve("last.npz")), r.err());
        assertFalse(r.err().contains("Xavier"), r.err());
        assertEquals(first.resolve("last.npz").toString(), JSON.readTree(second.resolve("config.json").toFile()).get("init_from").asText());
        assertTrue(JSON.readTree(first.resolve("config.json").toFile()).get("init_from").isNull(), "a run drawn by Xavier's rule says null");
        assertFalse(r.err().contains("was trained as"), "the same network: " + r.err());
        // Another network's weights have the same shapes, but are not its weights: said so.
        Cli other = Cli.run("train", "--data", data.toString(), "--out", tmp.resolve("run-from-relu").toString(), "--epochs", "1", "--threads", "1",
                "--activation", "sigmoid", "--pool", "avg", "--init", first.resolve("last.npz").toString());
        assertTrue(other.err().contains("warning: " + first.resolve("last.npz") + " was trained as LeNet-5 (relu, max pool), this run is LeNet-5 (sigmoid, avg pool)"),
                other.err());
    }

    @Test
    void trainWritesCheckpointsMetricsAndJsonLines() throws Exception {
        Path out = tmp.resolve("run-json");
        Cli r = train(out, "--json");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(3, lines.length, r.out());
        for (int e = 1; e <= 2; e++) {
            JsonNode epoch = JSON.readTree(lines[e - 1]);
            assertEquals(e, epoch.get("epoch").asInt());
            for (String key : new String[] {"train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds", "images_per_second"}) {
                assertTrue(epoch.get(key).isNumber(), key + " in " + lines[e - 1]);
            }
        }
        JsonNode last = JSON.readTree(lines[2]);
        assertEquals(out.resolve("last.npz").toString(), last.get("checkpoint").asText());
        assertTrue(Files.isRegularFile(out.resolve("epoch-01.npz")));
        assertTrue(Files.isRegularFile(out.resolve("epoch-02.npz")));
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(0).startsWith("epoch,train_loss,train_accuracy,test_loss,test_accuracy"));
        assertTrue(r.err().contains("seed 1"), "the seed is printed: " + r.err());
        JsonNode config = JSON.readTree(out.resolve("config.json").toFile());
        assertEquals(1, config.get("seed").asInt());
        assertEquals(32, config.get("batch_size").asInt());
        assertTrue(javax.imageio.ImageIO.read(out.resolve("curves.png").toFile()).getWidth() > 100, "curves.png drawn after each epoch");
        List<String> jsonl = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(2, jsonl.size());
        assertEquals(2, JSON.readTree(jsonl.get(1)).get("epoch").asInt());
        assertEquals(JSON.readTree(lines[1]).get("test_accuracy").asDouble(), JSON.readTree(jsonl.get(1)).get("test_accuracy").asDouble(), 1e-6);
    }

    @Test
    void theMadeUpDigitsAreLearned() throws Exception {
        Path out = tmp.resolve("run-learn");
        Cli r = train(out, "--json", "--epochs", "6", "--activation", "relu", "--pool", "max", "--lr", "0.05", "--momentum", "0.9");
        assertEquals(0, r.exitCode(), r.err());
        Cli eval = Cli.run("eval", "--model", out.resolve("last.npz").toString(), "--data", data.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode e = JSON.readTree(eval.out());
        assertTrue(e.get("accuracy").asDouble() > 0.9, eval.out());
        assertEquals(100, e.get("count").asInt());
        assertEquals(10, e.get("per_class").size());
        long total = 0;
        for (JsonNode row : e.get("confusion")) for (JsonNode n : row) total += n.asLong();
        assertEquals(100, total);
    }

    @Test
    void aSecondRunNeverOverwritesTheFirst() throws Exception {
        Path out = tmp.resolve("run-twice");
        assertEquals(0, train(out, "--epochs", "1").exitCode());
        byte[] before = Files.readAllBytes(out.resolve("last.npz"));
        Cli again = train(out, "--epochs", "1");
        assertEquals(1, again.exitCode());
        assertEquals(1, again.errLines().length, again.err());
        assertTrue(again.err().contains("already holds a training run"), again.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("last.npz")));
    }

    @Test
    void twoEpochsThenTwoMoreEqualFourEpochsBitForBit() throws Exception {
        Path straight = tmp.resolve("run-4");
        Path split = tmp.resolve("run-2+2");
        assertEquals(0, train(straight, "--epochs", "4", "--momentum", "0.9", "--weight-decay", "1e-4").exitCode());
        assertEquals(0, train(split, "--epochs", "2", "--momentum", "0.9", "--weight-decay", "1e-4").exitCode());
        Cli resumed = Cli.run("train", "--resume", split.resolve("last.npz").toString(), "--epochs", "4", "--threads", "1");
        assertEquals(0, resumed.exitCode(), resumed.err());
        Npz.Contents a = Npz.read(straight.resolve("last.npz"));
        Npz.Contents b = Npz.read(split.resolve("last.npz"));
        assertEquals(a.arrays(), b.arrays(), "weights and momentum after 4 epochs");
        assertEquals(5, Files.readAllLines(split.resolve("metrics.csv")).size());
    }

    @Test
    void aRunStoppedAfterTwoOfFourEpochsResumesToTheFourEpochResultUnderOneCycle() throws Exception {
        String[] recipe = {"--epochs", "4", "--schedule", "one-cycle", "--momentum", "0.9", "--shift", "2", "--shift-from", "2"};
        Path straight = tmp.resolve("run-oc-4");
        Path split = tmp.resolve("run-oc-2+2");
        assertEquals(0, train(straight, recipe).exitCode());
        List<String> first = new java.util.ArrayList<>(List.of(recipe));
        first.addAll(List.of("--stop-after", "2"));
        assertEquals(0, train(split, first.toArray(String[]::new)).exitCode());
        assertFalse(Files.exists(split.resolve("epoch-03.npz")));
        Cli resumed = Cli.run("train", "--resume", split.resolve("last.npz").toString(), "--threads", "1");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(Npz.read(straight.resolve("last.npz")).arrays(), Npz.read(split.resolve("last.npz")).arrays());
    }

    @Test
    void evalWritesOnePredictionRowPerImage() throws Exception {
        Path out = tmp.resolve("run-pred");
        assertEquals(0, train(out, "--epochs", "1").exitCode());
        Path csv = tmp.resolve("predictions.csv");
        Cli r = Cli.run("eval", "--model", out.resolve("last.npz").toString(), "--data", data.toString(), "--predictions", csv.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(101, rows.size());
        assertEquals("index,label,predicted,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", rows.get(0));
        String[] first = rows.get(1).split(",");
        assertEquals(13, first.length);
        double sum = 0;
        for (int k = 3; k < 13; k++) sum += Double.parseDouble(first[k]);
        assertEquals(1.0, sum, 1e-4);
        assertTrue(r.out().contains("accuracy"), r.out());
    }

    @Test
    void evalScoresAnyIdxPair() throws Exception {
        Path out = tmp.resolve("run-pair");
        assertEquals(0, train(out, "--epochs", "1").exitCode());
        Cli r = Cli.run("eval", "--model", out.resolve("last.npz").toString(), "--json",
                "--images", data.resolve("train-images-idx3-ubyte").toString(), "--labels", data.resolve("train-labels-idx1-ubyte").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(300, JSON.readTree(r.out()).get("count").asInt());
    }

    @Test
    void benchReportsSpeedMemoryAndTheTimeOfEachLayer() throws Exception {
        Cli r = Cli.run("bench", "--engine", "nd4j", "--json", "--seconds", "0.2", "--batch-size", "16", "--infer-batch-size", "32",
                "--threads", "1", "--data", data.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode b = JSON.readTree(r.out());
        for (String key : new String[] {"train_images_per_second", "infer_images_per_second", "step_ms", "peak_rss_mb"}) {
            assertTrue(b.get(key).asDouble() > 0, key + " in " + r.out());
        }
        assertEquals("nd4j", b.get("engine").asText(), r.out());
        assertEquals(14, b.get("layer_ms").size(), "12 layers, the loss and the optimizer: " + r.out());
        Cli byDefault = Cli.run("bench", "--json", "--seconds", "0.2", "--batch-size", "16", "--infer-batch-size", "32",
                "--threads", "1", "--data", data.toString());
        assertEquals(0, byDefault.exitCode(), byDefault.err());
        assertEquals("fused", JSON.readTree(byDefault.out()).get("engine").asText(), "the training engine (Engines): " + byDefault.out());
    }

    @Test
    void benchTimesBothEnginesInTurn() throws Exception {
        Cli r = Cli.run("bench", "--engine", "both", "--json", "--seconds", "0.2", "--batch-size", "16", "--infer-batch-size", "32",
                "--threads", "2", "--data", data.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode b = JSON.readTree(r.out());
        for (String engine : new String[] {"nd4j", "fused"}) {
            assertTrue(b.get(engine).get("train_images_per_second").asDouble() > 0, engine + " in " + r.out());
            assertTrue(b.get(engine).get("infer_images_per_second").asDouble() > 0, engine + " in " + r.out());
        }
        assertEquals(20, b.get("fused").get("layer_ms").size(), "18 kernels, the update and the measured peak: " + r.out());
        assertTrue(b.get("train_ratio").asDouble() > 0, r.out());
        Cli bad = Cli.run("bench", "--engine", "gpu");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--engine must be nd4j, fused or both, was gpu"), bad.err());
    }

    @Test
    void trainingThatDivergesToNanStopsWithOneLine() {
        Cli r = train(tmp.resolve("run-nan"), "--activation", "relu", "--lr", "1e30");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("training diverged") && r.err().contains("lower --lr"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aMissingModelIsOneLineAndExitOne() {
        Cli r = Cli.run("eval", "--model", tmp.resolve("nope.npz").toString(), "--data", data.toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("nope.npz"), r.err());
    }

    @Test
    void aModelThatIsNotACheckpointIsOneLineAndExitOne() throws Exception {
        Path junk = tmp.resolve("junk.npz");
        Files.writeString(junk, "this is not a zip");
        Cli r = Cli.run("eval", "--model", junk.toString(), "--data", data.toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("junk.npz"), r.err());
    }

    @Test
    void missingDataSaysHowToFetchIt() {
        Cli r = Cli.run("train", "--data", tmp.resolve("no-data").toString(), "--out", tmp.resolve("run-nodata").toString());
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains("fetch-data.sh"), r.err());
    }
}
