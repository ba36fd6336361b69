package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import lenet.io.Npz;
import lenet.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code lenet train} processes started at once on one --out folder: one trains, the other is
 * refused in one line naming the first one's PID, and every file in the folder is the survivor's.
 */
class ConcurrentTrainTest {
    private static final int EPOCHS = 3;

    @TempDir
    Path tmp;

    @Test
    void twoRunsOnOneFolderOneTrainsTheOtherIsRefusedAndNothingIsMixed() throws Exception {
        Path data = MnistFixture.write(tmp.resolve("data"), 300, 30);
        Path out = tmp.resolve("shared");
        Process[] p = new Process[2];
        for (int i = 0; i < 2; i++) {
            // Different seeds, so a file from the other run would show.
            List<String> cmd = OwnershipAndLimitsTest.javaCommand("-Xmx512m", "train", "--data", data.toString(), "--out", out.toString(),
                    "--epochs", String.valueOf(EPOCHS), "--batch-size", "16", "--threads", "1", "--seed", String.valueOf(100 + i),
                    "--activation", "relu", "--pool", "max", "--lr", "0.05", "--schedule", "constant"); // learned, so the winner exits 0
            p[i] = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).redirectOutput(tmp.resolve("run" + i + ".log").toFile()).start();
        }
        for (Process process : p) assertTrue(process.waitFor(180, TimeUnit.SECONDS), "finishes");
        int winner = p[0].exitValue() == 0 ? 0 : 1;
        int loser = 1 - winner;
        String loserLog = Files.readString(tmp.resolve("run" + loser + ".log"));
        assertEquals(0, p[winner].exitValue(), Files.readString(tmp.resolve("run" + winner + ".log")));
        assertEquals(1, p[loser].exitValue(), loserLog);
        assertEquals(1, loserLog.strip().lines().filter(l -> !l.startsWith("WARNING")).count(), loserLog);
        // Refused by the lock while the winner ran (or, had it finished already, by its finished run).
        assertTrue(loserLog.contains("another lenet process (PID " + p[winner].pid() + ") is training in this run folder")
                || loserLog.contains("already holds a training run"), loserLog);

        long seed = 100 + winner;
        List<String> rows = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(EPOCHS + 1, rows.size(), "a header and one row per epoch: " + rows);
        for (int epoch = 1; epoch <= EPOCHS; epoch++) {
            Checkpoint.Contents c = Checkpoint.load(out.resolve(String.format("epoch-%02d.npz", epoch)));
            assertEquals(seed, c.meta().get("seed").asLong(), "epoch " + epoch + " is the winner's");
            // metrics.csv's row (epoch,train_loss,train_accuracy,test_loss,test_accuracy,...) is the checkpoint's.
            String[] row = rows.get(epoch).split(",");
            assertEquals(String.valueOf(epoch), row[0]);
            assertEquals(c.meta().get("metrics").get("test_accuracy").asDouble(), Double.parseDouble(row[4]), 1e-6, "row " + epoch);
        }
        assertEquals(Npz.read(out.resolve(String.format("epoch-%02d.npz", EPOCHS))).arrays(), Npz.read(out.resolve("last.npz")).arrays());
        assertEquals(seed, new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("config.json").toFile()).get("seed").asLong());
        String[] names;
        try (var files = Files.list(out)) {
            names = files.map(f -> f.getFileName().toString()).sorted().toArray(String[]::new);
        }
        assertEquals("", Files.readString(out.resolve(".lenet-lock")), "the lock names no process once the run is done");
        assertArrayEquals(new String[] {".lenet-lock", "config.json", "curves.png", "epoch-01.npz", "epoch-02.npz", "epoch-03.npz",
            "last.npz", "metrics.csv", "metrics.jsonl", "progress.json"}, names, "no temp file left, nothing of the other run");
    }
}
