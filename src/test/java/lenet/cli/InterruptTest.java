package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import lenet.io.Npz;
import lenet.train.Checkpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool as a separate process, stopped by Ctrl-C or killed at random moments: the newest
 * checkpoint always loads, and resuming from it ends with exactly the weights of a run that was
 * never stopped (same seed, same thread count).
 */
class InterruptTest {
    private static final int EPOCHS = 12;

    @TempDir
    static Path tmp;

    static Path data;
    static Npz.Contents uninterrupted;

    @BeforeAll
    static void trainOnceWithoutStopping() throws Exception {
        data = MnistFixture.write(tmp.resolve("data"), 600, 50);
        Path out = tmp.resolve("straight");
        Cli r = Cli.run(args(out));
        assertEquals(0, r.exitCode(), r.err());
        uninterrupted = Npz.read(out.resolve("last.npz"));
    }

    /** The default recipe's schedule and shifts, small, one thread: a few seconds in all. */
    static String[] args(Path out) {
        return new String[] {"train", "--data", data.toString(), "--out", out.toString(), "--epochs", String.valueOf(EPOCHS),
            "--batch-size", "16", "--shift-from", "3", "--threads", "1"};
    }

    static Process start(Path out) throws Exception {
        // env --default-signal=INT: a shell without job control starts background jobs with SIGINT
        // ignored, a JVM that inherits that never sees Ctrl-C, and a CI job may run us that way.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector", // as scripts/lenet starts train
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args(out)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(out.getFileName() + ".log").toFile()).start();
    }

    static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, String.valueOf(p.pid())).start().waitFor();
    }

    /** Waits until the run has written its first checkpoint (the JVM and ND4J take a moment to start). */
    static void awaitFirstCheckpoint(Path out, Process p) throws Exception {
        for (int i = 0; i < 600 && p.isAlive() && !Files.exists(out.resolve("last.npz")); i++) Thread.sleep(50);
    }

    static void assertResumesToTheUninterruptedResult(Path out) {
        Cli resumed = Cli.run("train", "--resume", out.resolve("last.npz").toString(), "--threads", "1");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertEquals(uninterrupted.arrays(), Npz.read(out.resolve("last.npz")).arrays(), "weights and momentum after resuming " + out);
    }

    @Test
    void ctrlCSavesTheStepInProgressAndResumingGivesTheSameWeights() throws Exception {
        Path out = tmp.resolve("ctrl-c");
        Process p = start(out);
        awaitFirstCheckpoint(out, p);
        Thread.sleep(300);
        signal(p, "INT");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "exits after Ctrl-C");
        String log = Files.readString(tmp.resolve("ctrl-c.log"));
        assertEquals(130, p.exitValue(), log);
        assertTrue(log.contains("lenet train --resume"), "says how to resume: " + log);
        assertTrue(log.contains("interrupted:"), log);
        assertTrue(Files.readAllLines(out.resolve("metrics.csv")).size() - 1 < EPOCHS, "stopped before the end: " + log);
        assertResumesToTheUninterruptedResult(out);
    }

    @Test
    void sigtermExitsWith143() throws Exception {
        Path out = tmp.resolve("term");
        Process p = start(out);
        awaitFirstCheckpoint(out, p);
        signal(p, "TERM");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), Files.readString(tmp.resolve("term.log")));
        assertResumesToTheUninterruptedResult(out);
    }

    /**
     * kill -9 at seeded random moments, also in the middle of writing a checkpoint: the newest
     * checkpoint loads every time. {@code -Dlenet.kills=N} runs N kills (default 4).
     */
    @Test
    void killNineAtRandomMomentsNeverLeavesABrokenCheckpoint() throws Exception {
        int kills = Integer.getInteger("lenet.kills", 4);
        Random rng = new Random(2026);
        Path out = tmp.resolve("kill-9");
        for (int k = 0; k < kills; k++) {
            boolean first = k == 0;
            Process p;
            if (first) {
                p = start(out);
                awaitFirstCheckpoint(out, p);
            } else {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector", // as scripts/lenet starts train
                        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "train", "--resume", out.resolve("last.npz").toString(), "--threads", "1"));
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
                Thread.sleep(1000); // the JVM and ND4J start
            }
            Thread.sleep(rng.nextInt(1500));
            signal(p, "KILL");
            p.waitFor(30, TimeUnit.SECONDS);
            Checkpoint.load(out.resolve("last.npz")); // throws if damaged
        }
        assertResumesToTheUninterruptedResult(out);
    }
}
