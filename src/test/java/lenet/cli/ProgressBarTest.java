package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import lenet.optim.LearningRateSchedule;
import lenet.train.EpochResult;
import lenet.train.RunFolder;
import lenet.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress bar: fits the terminal, redraws at most ten times a second, wipes itself before the epoch line. */
class ProgressBarTest {
    /** A clock the test moves by hand. */
    private static final class Clock {
        long nanos;

        long now() {
            return nanos;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {30, 60, 80, 120, 250})
    void aLineNeverReachesTheLastColumn(int columns) {
        String tail = "23,040/60,000  6,123 img/s  loss 0.3210  acc 89.12%  0:06 left";
        String line = ProgressBar.render("epoch 3/15", 23_040, 60_000, tail, columns);
        assertTrue(line.length() <= columns - 1, line.length() + " > " + (columns - 1));
        assertTrue(line.startsWith("epoch 3/15"), line);
    }

    @Test
    void theBarFillsInProportion() {
        String line = ProgressBar.render("x", 50, 100, "t", 1 + 4 + 1 + 1 + 20); // room for a 20-wide bar
        assertEquals("x [==========>         ] t", line);
        assertEquals("x [====================] t", ProgressBar.render("x", 100, 100, "t", 27));
        assertEquals("x [>                   ] t", ProgressBar.render("x", 0, 100, "t", 27));
    }

    @Test
    void aNarrowTerminalGetsNoBarButTheNumbers() {
        assertEquals("epoch 1/2 100/200 0:01 left", ProgressBar.render("epoch 1/2", 100, 200, "100/200 0:01 left", 30));
    }

    @Test
    void redrawsAtMostTenTimesASecondButAlwaysTheLastStep() {
        StringWriter s = new StringWriter();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), 80, clock::now);
        for (int i = 1; i <= 200; i++) { // 200 steps, 5 ms apart: one second
            clock.nanos += 5_000_000L;
            bar.update("epoch 1/1", i, 200, i + "/200");
        }
        long draws = s.toString().chars().filter(c -> c == '\r').count();
        assertTrue(draws >= 10 && draws <= 12, draws + " redraws in a second");
        assertTrue(s.toString().endsWith("200/200"), "the last step is drawn: " + s);
        assertFalse(s.toString().contains("\n"), "one line, redrawn in place");
    }

    @Test
    void clearingWipesWhatWasDrawn() {
        StringWriter s = new StringWriter();
        ProgressBar bar = new ProgressBar(new PrintWriter(s), 80, () -> 0);
        bar.update("epoch 1/1", 1, 2, "half");
        int drawn = s.toString().length() - 1;
        s.getBuffer().setLength(0);
        bar.clear();
        assertEquals("\r" + " ".repeat(drawn) + "\r", s.toString());
        s.getBuffer().setLength(0);
        bar.clear();
        assertEquals("", s.toString(), "nothing to wipe twice");
    }

    @Test
    void countsAndRatesKeepTheirWidth() {
        assertEquals("    12/60,000", ProgressBar.count(12, 60_000));
        assertEquals("60,000/60,000", ProgressBar.count(60_000, 60_000));
        assertEquals("   812", ProgressBar.rate(812.4));
        assertEquals("12,345", ProgressBar.rate(12_345));
        assertEquals("     ?", ProgressBar.rate(Double.NaN));
    }

    @Test
    void durationsReadAsMinutesAndSeconds() {
        assertEquals("0:06", ProgressBar.duration(6.4));
        assertEquals("2:05", ProgressBar.duration(125));
        assertEquals("1:00:00", ProgressBar.duration(3600));
        assertEquals("?", ProgressBar.duration(Double.NaN));
    }

    @Test
    void trainingDrawsTheBarAndWipesItBeforeTheEpochLine(@TempDir Path tmp) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintWriter(err, true), 100, clock::now);
        TrainCommand.TrainReport report = new TrainCommand.TrainReport(new PrintWriter(out, true), new PrintWriter(err, true), false, false, bar, clock::now);
        TrainConfig config = new TrainConfig("mnist", tmp, lenet.model.Activation.SIGMOID, lenet.model.Pooling.AVG, lenet.model.Norm.NONE, 1.0, 0.1, LearningRateSchedule.fromCli("constant"),
                0, 0, 100, 2, 0, 1, lenet.train.Distortion.NONE, false, 0, 1, "default", null);
        report.started(config, RunFolder.createNew(tmp.resolve("run"), tmp), 1, 1000, 100);
        err.getBuffer().setLength(0);
        for (int images = 100; images <= 1000; images += 100) {
            clock.nanos += 200_000_000L; // 500 images a second
            report.stepDone(1, images, 1000, 0.5, 0.75);
        }
        String drawn = err.toString();
        assertTrue(drawn.contains("epoch 1/2 [") && drawn.contains("  500/1,000    500 img/s loss 0.5000 acc  75.00% 0:01 left"), drawn);
        assertTrue(drawn.endsWith("testing"), "the last step says the test set is next: " + drawn);
        report.epochDone(new EpochResult(1, 0.5, 0.75, 0.4, 0.8, 2.0, 500, 0.1, 700, tmp.resolve("epoch-01.npz")), null);
        String after = err.toString().substring(drawn.length());
        assertTrue(after.matches("\r +\repoch  1/2  train loss 0.5000 .*\n"), "wiped, then the epoch line: " + after.replace("\r", "\\r"));
    }

    @Test
    void aDistortionThatWouldStartAfterTheLastEpochIsNamed(@TempDir Path tmp) {
        for (int epochs : new int[] {1, 2}) {
            StringWriter out = new StringWriter(), err = new StringWriter();
            TrainCommand.TrainReport report = new TrainCommand.TrainReport(new PrintWriter(out, true), new PrintWriter(err, true), false, false, null);
            TrainConfig config = new TrainConfig("mnist", tmp, lenet.model.Activation.SIGMOID, lenet.model.Pooling.AVG, lenet.model.Norm.NONE, 1.0, 0.1,
                    LearningRateSchedule.fromCli("constant"), 0, 0, 100, epochs, 2, 2, lenet.train.Distortion.AFFINE, false, 0, 1, "default", null);
            report.started(config, RunFolder.createNew(tmp.resolve("run" + epochs), tmp), 1, 1000, 100);
            assertEquals(epochs == 1, err.toString().contains("note: the distortion starts at epoch 2 (--shift-from), after this run's last epoch: it is never applied"),
                    err.toString());
            assertTrue(err.toString().contains("distortion affine from epoch 2"), err.toString());
        }
    }

    @Test
    void offATerminalTrainingPrintsNoCarriageReturn(@TempDir Path tmp) throws Exception {
        Path data = MnistFixture.write(tmp.resolve("data"), 100, 20);
        Cli r = Cli.run("train", "--data", data.toString(), "--out", tmp.resolve("run").toString(), "--epochs", "1", "--batch-size", "10",
                "--threads", "1", "--activation", "relu", "--pool", "max", "--lr", "0.05", "--schedule", "constant");
        assertFalse(r.err().contains("\r"), r.err());
        assertTrue(r.err().contains("epoch  1/1"), r.err());
    }

    @Test
    void quietTrainingSaysOnlyWhereTheCheckpointIs(@TempDir Path tmp) throws Exception {
        Path data = MnistFixture.write(tmp.resolve("data"), 100, 20);
        Cli r = Cli.run("train", "--data", data.toString(), "--out", tmp.resolve("run").toString(), "--epochs", "3", "--batch-size", "10",
                "--threads", "1", "--quiet", "--activation", "relu", "--pool", "max", "--lr", "0.05", "--schedule", "constant", "--shift", "0");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().startsWith("done: test accuracy"), r.err());
    }
}
