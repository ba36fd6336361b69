package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import lenet.train.Checkpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs off the default path say what happened, and the commands that pick a model by themselves
 * pick a good one and say which: one test per case of the "honest runs" issue.
 */
class HonestRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void makeData() throws Exception {
        data = MnistFixture.write(tmp.resolve("data"), 300, 100);
    }

    @AfterEach
    void forgetRunsFolder() {
        System.clearProperty("lenet.runs");
    }

    /** Settings under which the made-up digits are learned in a few steps. */
    private static final String[] LEARNS = {"--activation", "relu", "--pool", "max", "--lr", "0.05", "--momentum", "0.9", "--schedule", "constant",
        "--shift", "0", "--batch-size", "32"};

    private static Cli learn(Path out, String... more) {
        List<String> args = new ArrayList<>(Arrays.asList(LEARNS));
        args.addAll(Arrays.asList(more));
        return train(out, args.toArray(String[]::new));
    }

    private static Cli train(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(), "--threads", "1"));
        args.addAll(Arrays.asList(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static JsonNode meta(Path checkpoint) {
        return Checkpoint.readMeta(checkpoint);
    }

    @Test
    void aLearningRunFinishesAndSaysDone() {
        Path out = tmp.resolve("good");
        Cli r = learn(out, "--epochs", "3", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("done: test accuracy"), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        assertEquals("finished", meta(out.resolve("last.npz")).path("status").asText());
        assertEquals("training", meta(out.resolve("epoch-01.npz")).path("status").asText(), "an epoch of a run still going");
        String[] lines = r.out().strip().split("\n");
        assertEquals("finished", lines[lines.length - 1].replaceAll(".*\"status\":\"([a-z-]+)\".*", "$1"), r.out());
    }

    @Test
    void aRateFarTooHighIsCalledDivergedAfterEveryEpochAndAtTheEnd() throws Exception {
        Path out = tmp.resolve("lr50");
        Cli r = train(out, "--epochs", "2", "--lr", "50", "--schedule", "constant", "--batch-size", "32", "--json");
        assertEquals(1, r.exitCode(), r.err());
        long warnings = r.err().lines().filter(l -> l.startsWith("warning: epoch")).count();
        assertTrue(warnings >= 1, r.err());
        assertTrue(r.err().contains("lower --lr (was 50)"), r.err());
        String last = r.errLines()[r.errLines().length - 1];
        assertTrue(last.startsWith("failed: ") && last.contains("(diverged)") || r.err().contains("training diverged"), r.err());
        assertEquals("diverged", meta(out.resolve("last.npz")).path("status").asText());
    }

    @Test
    void aRunThatStaysAtChanceSaysSoAndWhatToTry() {
        Path out = tmp.resolve("chance");
        // d2l's recipe sits at 10% for its first epochs: two steps of it learn nothing.
        Cli r = train(out, "--recipe", "d2l", "--epochs", "1", "--limit", "300", "--json");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("at chance"), r.err());
        assertTrue(r.err().contains("--epochs"), "names the flag to try: " + r.err());
        assertEquals("at-chance", meta(out.resolve("last.npz")).path("status").asText());
        assertTrue(r.out().contains("\"status\":\"at-chance\""), r.out());
    }

    @Test
    void aNanLossMarksTheLastGoodStateDiverged() {
        Path out = tmp.resolve("nan");
        Cli r = train(out, "--activation", "relu", "--lr", "1e30", "--epochs", "2");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains("training diverged"), r.err());
        assertEquals("diverged", meta(out.resolve("last.npz")).path("status").asText());
        Checkpoint.load(out.resolve("last.npz")); // the state kept is whole and finite
    }

    @Test
    void commandsWithoutModelPassOverANewerBrokenRunAndNameTheModelTheyUse() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs-choice"));
        System.setProperty("lenet.runs", runs.toString());
        assertEquals(0, learn(runs.resolve("a-good"), "--epochs", "3").exitCode());
        Thread.sleep(20); // a later modification time
        assertEquals(1, train(runs.resolve("b-broken"), "--epochs", "1", "--lr", "50", "--schedule", "constant", "--batch-size", "32").exitCode());
        Files.setLastModifiedTime(runs.resolve("b-broken/last.npz"), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

        Cli eval = Cli.run("eval", "--data", data.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.err().contains("passed over 1 newer run") && eval.err().contains("b-broken (diverged)"), eval.err());
        assertTrue(eval.err().contains("model " + runs.resolve("a-good/last.npz")), eval.err());
        JsonNode e = JSON.readTree(eval.out());
        assertEquals(runs.resolve("a-good/last.npz").toString(), e.get("model").asText());
        assertTrue(e.get("model_test_accuracy").asDouble() > 0.5, eval.out());

        Path image = tmp.resolve("digit.png");
        lenet.image.ImageFiles.writeGreyPng(image, new byte[28 * 28], 28, 28);
        Cli predict = Cli.run("predict", "--json", image.toString());
        assertTrue(predict.err().contains("model " + runs.resolve("a-good/last.npz")), predict.err());
        assertTrue(predict.out().contains("\"model\":\"" + runs.resolve("a-good/last.npz") + "\""), predict.out());
    }

    @Test
    void withNoFinishedRunTheMessageSaysSoAndPointsAtRuns() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs-none"));
        System.setProperty("lenet.runs", runs.toString());
        train(runs.resolve("broken"), "--epochs", "1", "--lr", "50", "--schedule", "constant", "--batch-size", "32");
        Cli r = Cli.run("eval", "--data", data.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("none of the 1 runs") && r.err().contains("runs`"), r.err());
    }

    @Test
    void runsListsEveryRunWithItsStatus() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs-list"));
        assertEquals(0, learn(runs.resolve("good"), "--epochs", "3").exitCode());
        learn(runs.resolve("stopped"), "--epochs", "3", "--stop-after", "1");
        Cli table = Cli.run("runs", "--dir", runs.toString());
        assertEquals(0, table.exitCode(), table.err());
        String[] lines = table.out().strip().split("\n");
        assertEquals(3, lines.length, table.out());
        assertTrue(lines[0].matches("run +dataset +network +recipe +epochs +best +last +status +size"), lines[0]);
        String good = Arrays.stream(lines).filter(l -> l.startsWith("good")).findFirst().orElseThrow();
        assertTrue(good.matches("good +mnist +relu/max +default +3/3 +\\d+\\.\\d\\d% +\\d+\\.\\d\\d% +finished +[\\d.]+ [KMG]B"), good);
        assertTrue(table.out().contains("1/3") && table.out().contains("interrupted"), table.out());

        JsonNode json = JSON.readTree(Cli.run("runs", "--dir", runs.toString(), "--json").out());
        assertEquals(2, json.get("runs").size());
        for (JsonNode run : json.get("runs")) {
            for (String key : new String[] {"name", "dataset", "network", "recipe", "epochs_done", "epochs_planned", "best_test_accuracy",
                "last_test_accuracy", "status", "bytes"}) {
                assertTrue(run.has(key), key + " in " + run);
            }
        }
    }

    @Test
    void aFashionModelIsScoredOnFashionAndSpeaksInClassNames() throws Exception {
        Path out = tmp.resolve("fashion");
        assertEquals(0, learn(out, "--dataset", "fashion-mnist", "--epochs", "3").exitCode());
        Path model = out.resolve("last.npz");
        Cli table = Cli.run("eval", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("true class (rows)") && table.out().contains("9 Ankle boot") && table.out().contains("0 T-shirt/top"),
                table.out());
        Path csv = tmp.resolve("fashion.csv");
        assertEquals(0, Cli.run("eval", "--model", model.toString(), "--data", data.toString(), "--predictions", csv.toString()).exitCode());
        List<String> rows = Files.readAllLines(csv);
        assertTrue(rows.get(0).startsWith("index,label,predicted,label_name,predicted_name,p0"), rows.get(0));
        assertTrue(rows.get(1).startsWith("0,0,") && rows.get(1).contains(",T-shirt/top,"), rows.get(1));

        Cli mismatch = Cli.run("eval", "--model", model.toString(), "--dataset", "mnist", "--data", data.toString());
        assertTrue(mismatch.err().contains("warning: ") && mismatch.err().contains("trained on fashion-mnist, not mnist"), mismatch.err());

        Path image = tmp.resolve("shirt.png");
        lenet.image.ImageFiles.writeGreyPng(image, new byte[28 * 28], 28, 28);
        Cli predict = Cli.run("predict", "--model", model.toString(), image.toString());
        assertTrue(predict.out().contains("  class "), predict.out());
    }

    @Test
    void resumeSaysWhereItContinuesAndRefusesFlagsThatContradictTheRun() throws Exception {
        Path out = tmp.resolve("resume");
        assertEquals(0, learn(out, "--epochs", "3", "--stop-after", "1").exitCode());
        String last = out.resolve("last.npz").toString();

        Cli lr = Cli.run("train", "--resume", last, "--lr", "0.5");
        assertEquals(2, lr.exitCode(), lr.err());
        assertTrue(lr.err().contains("--lr 0.5 contradicts the run being resumed, which has lr 0.05"), lr.err());
        Cli act = Cli.run("train", "--resume", last, "--activation", "sigmoid");
        assertEquals(2, act.exitCode(), act.err());
        assertTrue(act.err().contains("--activation sigmoid contradicts") && act.err().contains("activation relu"), act.err());
        Cli batch = Cli.run("train", "--resume", last, "--batch-size", "64");
        assertEquals(2, batch.exitCode(), batch.err());
        Cli same = Cli.run("train", "--resume", last, "--lr", "0.05", "--stop-after", "2", "--threads", "1");
        assertEquals(0, same.exitCode(), "the run's own value is no contradiction: " + same.err());
        assertTrue(same.err().contains("resuming " + out.toAbsolutePath() + " from epoch 2, step 1"), same.err());
        Cli extend = Cli.run("train", "--resume", last, "--epochs", "4", "--threads", "1");
        assertEquals(0, extend.exitCode(), extend.err());
        assertTrue(Files.exists(out.resolve("epoch-04.npz")));
    }

    @Test
    void stopAfterBeyondTheEpochsIsAUsageError() {
        Cli r = train(tmp.resolve("stop"), "--stop-after", "5", "--epochs", "3");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--stop-after 5 is beyond the 3 planned epochs"), r.err());
        assertFalse(Files.exists(tmp.resolve("stop")), "nothing written");
    }

    @Test
    void aLimitAboveTheDataSetIsAWarning() {
        Cli r = learn(tmp.resolve("limit"), "--limit", "100000", "--epochs", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: --limit 100000 is more than the 300 training images"), r.err());
    }

    @Test
    void aRepeatedOptionSaysWhichValueCounts() {
        Cli r = learn(tmp.resolve("twice"), "--epochs", "3", "--lr", "0.5", "--lr", "0.05");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("warning: --lr was given 3 times; the last one counts (0.05)"), r.err());
    }

    @Test
    void aRunThatFailsBeforeTrainingLeavesNoFolder() {
        Path out = tmp.resolve("nodata-run");
        Cli r = Cli.run("train", "--data", tmp.resolve("no/such/dir").toString(), "--out", out.toString());
        assertEquals(1, r.exitCode());
        assertFalse(Files.exists(out), "no empty run folder");
    }
}
