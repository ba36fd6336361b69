package lenet.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Random;
import lenet.LenetException;
import lenet.data.Dataset;
import lenet.engine.Trainable;
import lenet.io.Json;
import lenet.io.NdArray;
import lenet.model.ModelState;
import lenet.model.Pixels;

/**
 * Minibatch SGD on a model: for each epoch, a (seeded) shuffle of the training images; for each batch,
 * forward, loss, backward, one optimizer step; after each epoch, a test evaluation and a checkpoint.
 */
public final class Trainer {
    /** Hears about the run as it goes. */
    public interface Listener {
        void started(TrainConfig config, RunFolder run, int firstEpoch, int trainImages, int testImages);

        /**
         * After each training step: {@code images} of the epoch's {@code total} done so far, with the
         * running mean loss and accuracy of the epoch, for a progress display. Called on the
         * training thread; keep it cheap.
         */
        default void stepDone(int epoch, int images, int total, double runningLoss, double runningAccuracy) {}

        /** After each epoch; {@code verdict} is null when the numbers look like learning, else what is wrong. */
        void epochDone(EpochResult result, Health.Verdict verdict);
    }

    private final TrainConfig config;
    private final Dataset train;
    private final Dataset test;
    private final Trainable model;
    private final RunFolder run;
    private final int firstEpoch;
    private EpochProgress partial; // where an interrupted epoch stopped, to continue it
    private volatile boolean stopRequested;
    private boolean interrupted;
    private RunStatus status = RunStatus.TRAINING;

    /**
     * @param firstEpoch the epoch to start with (1 for a new run, n + 1 when resuming after epoch n);
     *                   model and optimizer must hold the state at its start
     */
    public Trainer(TrainConfig config, Dataset train, Dataset test, Trainable model, RunFolder run, int firstEpoch) {
        this.config = config;
        this.train = train;
        this.test = test;
        this.model = model;
        this.run = run;
        this.firstEpoch = firstEpoch;
    }

    /**
     * Where an interrupted epoch was saved (an {@code epoch_progress} in meta.json): training
     * continues that epoch at the step after the last completed one, with its running totals, so
     * the run ends exactly as if it had never stopped.
     */
    public record EpochProgress(int epoch, int stepsDone, double lossSum, long correct, double seconds) {}

    /** Continues inside an epoch that was interrupted (its number must be {@code firstEpoch}). */
    public Trainer continuing(EpochProgress progress) {
        if (progress != null && progress.epoch() != firstEpoch) throw new IllegalArgumentException("progress is for another epoch");
        this.partial = progress;
        return this;
    }

    /**
     * Asks the run to stop after the step in progress (from any thread, e.g. a Ctrl-C handler):
     * it then saves last.npz with that step's state and returns, {@link #interrupted()} true.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** True when the last {@link #run} ended early at {@link #requestStop()}. */
    public boolean interrupted() {
        return interrupted;
    }

    /** What became of the run so far: saved in every checkpoint, final once {@link #run} returns. */
    public RunStatus status() {
        return status;
    }

    /** A new model for {@code config}: Xavier-uniform weights from the run's seed (see {@code ModelSpec#initialState}). */
    public static ModelState newModel(TrainConfig config) {
        return config.architecture().spec().initialState(new Random(Seeds.derive(config.seed(), Seeds.INIT, 0, 0)), config.initGain());
    }

    public int stepsPerEpoch() {
        return (train.count() + config.batchSize() - 1) / config.batchSize();
    }

    /** Trains from {@code firstEpoch} through {@code config.epochs()}; returns the last epoch's result (null if none ran). */
    public EpochResult run(Listener listener) throws IOException {
        return run(listener, config.epochs());
    }

    /**
     * Trains from {@code firstEpoch} through {@code lastEpoch} of the planned {@code config.epochs()},
     * so a run can be split: the schedule is the full run's, and {@code --resume} continues it.
     */
    public EpochResult run(Listener listener, int lastEpoch) throws IOException {
        listener.started(config, run, firstEpoch, train.count(), test.count());
        run.writeConfig(Json.pretty(config));
        Batcher batcher = new Batcher(train);
        int steps = stepsPerEpoch();
        long totalSteps = (long) steps * config.epochs();
        EpochResult result = null;
        // The state to fall back on if the loss becomes NaN before any checkpoint of this run exists.
        ModelState startState = Files.exists(run.last()) ? null : model.state();
        Map<String, NdArray> startOptimizer = startState == null ? null : model.optimizerState();
        for (int epoch = firstEpoch; epoch <= Math.min(lastEpoch, config.epochs()); epoch++) {
            int[] order = config.shuffle()
                    ? Batcher.shuffled(train.count(), new Random(Seeds.derive(config.seed(), Seeds.SHUFFLE, epoch, 0)))
                    : Batcher.identity(train.count());
            double lossSum = 0, lr = 0, secondsBefore = 0;
            long correct = 0;
            int firstStep = 0;
            if (partial != null && partial.epoch() == epoch) {
                firstStep = partial.stepsDone();
                lossSum = partial.lossSum();
                correct = partial.correct();
                secondsBefore = partial.seconds();
                partial = null;
            }
            long start = System.nanoTime();
            for (int i = firstStep; i < steps; i++) {
                int from = i * config.batchSize();
                int to = Math.min(from + config.batchSize(), train.count());
                long step = (long) (epoch - 1) * steps + i;
                lr = config.schedule().rate(config.lr(), step, totalSteps);
                boolean augmenting = epoch >= config.shiftFrom();
                int shift = augmenting ? config.maxShift() : 0;
                Distortion distortion = augmenting ? config.distortion() : Distortion.NONE;
                Random augment = shift > 0 || distortion != Distortion.NONE ? new Random(Seeds.derive(config.seed(), Seeds.AUGMENT, epoch, i)) : null;
                int[] labels = batcher.labels(order, from, to);
                Trainable.StepResult r = model.step(batcher.images(order, from, to, shift, distortion, augment), labels, labels.length, lr);
                if (!Double.isFinite(r.loss())) {
                    status = RunStatus.DIVERGED;
                    keepLastGoodAsDiverged(startState, startOptimizer, epoch);
                    throw new LenetException("training diverged: the loss became " + r.loss() + " in epoch " + epoch + ", step " + (i + 1)
                            + "; the steps are too large for this network: lower {lr} (was " + Health.num(config.lr()) + "); "
                            + run.last() + " holds the last good state, marked diverged");
                }
                lossSum += r.loss() * labels.length;
                correct += r.correct();
                listener.stepDone(epoch, to, train.count(), lossSum / to, (double) correct / to);
                run.recordProgress(epoch, config.epochs(), to, train.count(), lossSum / to, (double) correct / to, secondsBefore + (System.nanoTime() - start) / 1e9);
                if (stopRequested && i + 1 < steps) {
                    EpochProgress at = new EpochProgress(epoch, i + 1, lossSum, correct, secondsBefore + (System.nanoTime() - start) / 1e9);
                    status = RunStatus.INTERRUPTED;
                    Checkpoint.save(run.last(), model.state(), model.optimizerState(), meta(epoch - 1, (long) (epoch - 1) * steps + i + 1, null, at));
                    interrupted = true;
                    return result;
                }
            }
            double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
            Evaluation eval = Evaluator.evaluate(model::logits, model.spec().classes(), test);
            Path checkpoint = run.epochFile(epoch);
            result = new EpochResult(epoch, lossSum / train.count(), (double) correct / train.count(),
                    eval.loss(), eval.accuracy(), seconds, train.count() / seconds, lr, Memory.rssMb(), checkpoint);
            Health.Verdict verdict = Health.judge(result.trainLoss(), result.testAccuracy(), config);
            boolean last = epoch == config.epochs();
            boolean stopping = !last && (stopRequested || epoch == lastEpoch);
            status = last ? (verdict == null || verdict.status() == null ? RunStatus.FINISHED : verdict.status())
                    : stopping ? RunStatus.INTERRUPTED : RunStatus.TRAINING;
            Checkpoint.save(checkpoint, model.state(), model.optimizerState(), meta(epoch, (long) epoch * steps, result, null));
            run.copyToLast(checkpoint);
            run.recordMetrics(result);
            listener.epochDone(result, verdict);
            if (stopRequested && !last) {
                interrupted = true;
                return result;
            }
        }
        return result;
    }

    private CheckpointMeta meta(int epoch, long step, EpochResult r, EpochProgress progress) {
        CheckpointMeta.Metrics metrics = r == null ? null
                : new CheckpointMeta.Metrics(r.trainLoss(), r.trainAccuracy(), r.testLoss(), r.testAccuracy());
        return new CheckpointMeta(config.architecture(), Pixels.NORMALIZATION, status.jsonName(), epoch, step, config.seed(), config.dataset(),
                config, CheckpointMeta.Optimizer.SGD, metrics, progress, OffsetDateTime.now().toString());
    }

    /**
     * After a NaN loss: last.npz becomes the last good state marked {@code diverged} (the newest
     * checkpoint of this run, or the run's starting weights when none was written yet), so that
     * {@code lenet runs} and the commands that pick the newest model see what happened.
     */
    private void keepLastGoodAsDiverged(ModelState start, Map<String, NdArray> startOptimizer, int epoch) throws IOException {
        if (Files.exists(run.last())) {
            Checkpoint.rewriteStatus(run.last(), RunStatus.DIVERGED);
        } else if (start != null) {
            Checkpoint.save(run.last(), start, startOptimizer, meta(epoch - 1, (long) (epoch - 1) * stepsPerEpoch(), null, null));
        }
    }

    /** The settings a checkpoint was trained with, to continue its run. */
    public static TrainConfig configOf(Checkpoint.Contents checkpoint) {
        return checkpoint.runMeta().config();
    }

    /** Where a checkpoint saved mid-epoch stopped, or null for one saved after a whole epoch. */
    public static EpochProgress progressOf(Checkpoint.Contents checkpoint) {
        return checkpoint.runMeta().epochProgress();
    }

    /** The epoch a checkpoint was saved after (0 when unknown). */
    public static int epochOf(Checkpoint.Contents checkpoint) {
        return checkpoint.meta() == null ? 0 : checkpoint.meta().path("epoch").asInt(0);
    }
}
