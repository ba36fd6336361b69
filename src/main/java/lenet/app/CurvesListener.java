package lenet.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import lenet.report.Curves;
import lenet.train.EpochResult;
import lenet.train.Health;
import lenet.train.RunFolder;
import lenet.train.TrainConfig;
import lenet.train.Trainer;

/**
 * Draws a run's learning curves (curves.png beside metrics.csv) after every epoch, whatever front
 * end trains it, then tells the front end's own listener. A drawing failure never stops training:
 * it is one warning.
 */
final class CurvesListener implements Trainer.Listener {
    private final Trainer.Listener next;
    private final RunFolder run;
    private final int plannedEpochs;
    private final Consumer<String> warn;

    CurvesListener(Trainer.Listener next, RunFolder run, int plannedEpochs, Consumer<String> warn) {
        this.next = next;
        this.run = run;
        this.plannedEpochs = plannedEpochs;
        this.warn = warn;
    }

    @Override
    public void started(TrainConfig config, RunFolder run, int firstEpoch, int trainImages, int testImages) {
        next.started(config, run, firstEpoch, trainImages, testImages);
    }

    @Override
    public void stepDone(int epoch, int images, int total, double runningLoss, double runningAccuracy) {
        next.stepDone(epoch, images, total, runningLoss, runningAccuracy);
    }

    @Override
    public void epochDone(EpochResult result, Health.Verdict verdict) {
        next.epochDone(result, verdict);
        Path metrics = run.dir().resolve(RunFolder.METRICS);
        if (!Files.exists(metrics)) return;
        try {
            Curves.write(metrics, run.dir().resolve(Curves.FILE), plannedEpochs);
        } catch (RuntimeException e) {
            warn.accept("could not draw " + Curves.FILE + " (" + e.getMessage() + "); training goes on");
        }
    }
}
