package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Run folders are owned, sizes are checked before allocating, and what is not a regular file is
 * never opened: each through the command line, as a user meets it.
 */
class OwnershipAndLimitsTest {
    @TempDir
    static Path tmp;

    static Path data;

    @BeforeAll
    static void data() throws Exception {
        data = MnistFixture.write(tmp.resolve("data"), 100, 20);
    }

    /** A short run on the made-up digits, with settings under which they are learned (a run at chance exits 1); {@code more} overrides. */
    private static String[] train(Path out, String... more) {
        java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
        String[] defaults = {"--data", data.toString(), "--out", out.toString(), "--epochs", "3", "--threads", "1", "--activation", "relu",
            "--pool", "max", "--lr", "0.05", "--schedule", "constant", "--shift", "0", "--batch-size", "10"};
        for (int i = 0; i < defaults.length; i += 2) flags.put(defaults[i], defaults[i + 1]);
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < more.length; i++) {
            if (flags.containsKey(more[i]) && i + 1 < more.length) flags.put(more[i], more[++i]);
            else extra.add(more[i]);
        }
        List<String> args = new ArrayList<>(List.of("train"));
        flags.forEach((k, v) -> args.addAll(List.of(k, v)));
        args.addAll(extra);
        return args.toArray(String[]::new);
    }

    @Test
    void outMustNameAFolder() {
        Cli r = Cli.run("train", "--data", data.toString(), "--out", "");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.problems().startsWith("lenet train: --out must name a folder, was ''"), r.err());
    }

    @Test
    void aResumedRunWritesOnlyIntoItsOwnFolder() throws Exception {
        Path run = tmp.resolve("own");
        assertEquals(0, Cli.run(train(run)).exitCode());
        Path elsewhere = tmp.resolve("elsewhere");
        Cli r = Cli.run("train", "--resume", run.resolve("last.npz").toString(), "--out", elsewhere.toString(), "--epochs", "2");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("--resume continues the run in its own folder"), r.err());
        assertFalse(Files.exists(elsewhere));
        Cli same = Cli.run("train", "--resume", run.resolve("last.npz").toString(), "--out", run.toString(), "--epochs", "2", "--threads", "1");
        assertEquals(0, same.exitCode(), same.err());
        assertTrue(Files.exists(run.resolve("epoch-02.npz")));
    }

    @Test
    void anEarlierRunsFilesAreNotTrainedInto() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("earlier"));
        for (String name : new String[] {"epoch-01.npz", "config.json", "metrics.jsonl"}) Files.writeString(dir.resolve(name), "mine");
        Cli r = Cli.run(train(dir, "--force"));
        assertEquals(1, r.exitCode(), r.err());
        assertEquals(1, r.problemLines().length, r.err());
        assertTrue(r.err().contains("holds files of an earlier run"), r.err());
        for (String name : new String[] {"epoch-01.npz", "config.json", "metrics.jsonl"}) assertEquals("mine", Files.readString(dir.resolve(name)));
    }

    @Test
    void aFolderOfOtherFilesNeedsForceAndKeepsThem() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        Cli refused = Cli.run(train(dir));
        assertEquals(1, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains("is not empty (notes.txt)"), refused.err());
        Cli forced = Cli.run(train(dir, "--force"));
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        assertTrue(Files.exists(dir.resolve("last.npz")));
        assertEquals("", Files.readString(dir.resolve(".lenet-lock")), "the lock names no process once the run ends");
    }

    @Test
    void aRunThatFailsBeforeTrainingLeavesNoFolder() {
        Path dir = tmp.resolve("no-data-run");
        Cli r = Cli.run("train", "--data", tmp.resolve("missing").toString(), "--out", dir.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertFalse(Files.exists(dir), "no empty folder, no lock file left");
    }

    @Test
    void aBatchLargerThanTheTrainingSetIsAUsageError() {
        Cli r = Cli.run(train(tmp.resolve("big-batch"), "--batch-size", "70000"));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.problems().startsWith("lenet train: --batch-size 70000 is more than the 100 training images; use at most 100"), r.err());
        assertFalse(Files.exists(tmp.resolve("big-batch")));
    }

    @Test
    void aBatchThatCannotFitInMemoryIsRefusedBeforeTraining() {
        assertEquals(null, lenet.engine.nd4j.StepMemory.problem(128));
        String problem = lenet.engine.nd4j.StepMemory.problem(200_000);
        assertTrue(problem != null && problem.startsWith("needs about ") && problem.contains("use at most {batch-size} "), problem);
    }

    @Command(name = "greedy")
    static final class Greedy implements Runnable {
        @Override
        public void run() {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void anOutOfMemoryErrorEndsAsOneLine() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new Greedy());
        cl.setErr(new java.io.PrintWriter(err, true));
        assertEquals(1, Main.execute(cl));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("lenet: out of memory: the Java heap ("), err.toString());
        assertFalse(err.toString().contains("Error"), err.toString());
    }

    @Command(name = "buggy")
    static final class Buggy implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("Cannot invoke \"com.fasterxml.jackson.databind.JsonNode.asText()\" because \"n\" is null");
        }
    }

    @Test
    void anUnexpectedErrorNamingJavaInternalsIsShownAsAnInternalError() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new Buggy());
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler(Main::handle);
        assertEquals(1, Main.execute(cl));
        assertEquals("lenet: an internal error (run with --verbose for details)", err.toString().strip());
    }

    /** A gzip file of 0.1 MB that really expands to 78 MB of images, in a JVM with a 48 MB heap. */
    @Test
    void aDecompressionBombIsRefusedAgainstTheHeapInOneLine() throws Exception {
        int count = 100_000;
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(ByteBuffer.allocate(16).putInt(0x803).putInt(count).putInt(28).putInt(28).array());
            byte[] zeros = new byte[784 * 1000];
            for (int i = 0; i < count / 1000; i++) out.write(zeros);
        }
        Path images = tmp.resolve("bomb-images.gz");
        Files.write(images, gz.toByteArray());
        Path labels = tmp.resolve("bomb-labels");
        Files.write(labels, ByteBuffer.allocate(8 + count).putInt(0x801).putInt(count).array());
        Path model = tmp.resolve("bomb-model.npz");
        assertEquals(0, Cli.run(train(tmp.resolve("bomb-run"))).exitCode());
        Files.copy(tmp.resolve("bomb-run").resolve("last.npz"), model);

        Process p = new ProcessBuilder(javaCommand("-Xmx48m", "eval", "--model", model.toString(), "--images", images.toString(), "--labels", labels.toString()))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.exitValue(), out);
        assertEquals(1, out.strip().lines().filter(l -> !l.startsWith("model ")).count(), "one line besides the model eval says it uses: " + out);
        assertTrue(out.contains(images + ": header claims 100000 images of 28x28 pixels, which needs ") && out.contains("-Xmx"), out);
    }

    @Test
    void aNamedPipeOrADeviceIsRefusedAtOnceInsteadOfHanging() throws Exception {
        Path fifo = tmp.resolve("images.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Path model = tmp.resolve("fifo-model.npz");
        assertEquals(0, Cli.run(train(tmp.resolve("fifo-run"))).exitCode());
        Files.copy(tmp.resolve("fifo-run").resolve("last.npz"), model);
        Path labels = data.resolve("t10k-labels-idx1-ubyte");

        Cli r = Cli.run("eval", "--model", model.toString(), "--images", fifo.toString(), "--labels", labels.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.problems().startsWith("lenet: " + fifo + ": is a named pipe, not a regular file"), r.err());

        Cli dev = Cli.run("eval", "--model", "/dev/zero", "--data", data.toString());
        assertEquals(1, dev.exitCode(), dev.err());
        assertTrue(dev.problems().startsWith("lenet: /dev/zero: is a device, not a regular file"), dev.err());
    }

    static List<String> javaCommand(String heap, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
