package lenet.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Random;
import lenet.LenetException;
import lenet.data.Dataset;
import lenet.nn.LeNet;
import lenet.nn.SoftmaxCrossEntropy;
import lenet.optim.LearningRateSchedule;
import lenet.optim.Sgd;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Minibatch SGD on LeNet: for each epoch, a (seeded) shuffle of the training images; for each batch,
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
    private final LeNet model;
    private final Sgd sgd;
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
    public Trainer(TrainConfig config, Dataset train, Dataset test, LeNet model, Sgd sgd, RunFolder run, int firstEpoch) {
        this.config = config;
        this.train = train;
        this.test = test;
        this.model = model;
        this.sgd = sgd;
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

    /** A new model for {@code config}: Xavier-uniform weights from the run's seed. */
    public static LeNet newModel(TrainConfig config) {
        return LeNet.create(config.activation(), config.pooling(), new Random(Seeds.derive(config.seed(), Seeds.INIT, 0, 0)), config.initGain());
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
        run.writeConfig(Checkpoint.JSON.writeValueAsBytes(configJson(config)));
        model.skipInputGradient();
        Batcher batcher = new Batcher(train);
        SoftmaxCrossEntropy lossFn = new SoftmaxCrossEntropy();
        int steps = stepsPerEpoch();
        long totalSteps = (long) steps * config.epochs();
        EpochResult result = null;
        // The state to fall back on if the loss becomes NaN before any checkpoint of this run exists.
        Map<String, lenet.io.NdArray> startWeights = Files.exists(run.last()) ? null : Checkpoint.arraysOf(model);
        Map<String, lenet.io.NdArray> startMomentum = startWeights == null ? null : Checkpoint.momentumOf(sgd);
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
                int shift = epoch >= config.shiftFrom() ? config.maxShift() : 0;
                Random augment = shift > 0 ? new Random(Seeds.derive(config.seed(), Seeds.AUGMENT, epoch, i)) : null;
                int[] labels = batcher.labels(order, from, to);
                try (MemoryWorkspace ws = Workspaces.step("TRAIN")) {
                    INDArray x = batcher.images(order, from, to, shift, augment);
                    double loss = lossFn.forward(model.forward(x), labels);
                    if (!Double.isFinite(loss)) {
                        status = RunStatus.DIVERGED;
                        keepLastGoodAsDiverged(startWeights, startMomentum, epoch);
                        throw new LenetException("training diverged: the loss became " + loss + " in epoch " + epoch + ", step " + (i + 1)
                                + "; the steps are too large for this network: lower --lr (was " + Health.num(config.lr()) + "); "
                                + run.last() + " holds the last good state, marked diverged");
                    }
                    lossSum += loss * labels.length;
                    correct += lossFn.correct(labels);
                    sgd.zeroGrad();
                    model.backward(lossFn.backward());
                    sgd.step(lr);
                }
                listener.stepDone(epoch, to, train.count(), lossSum / to, (double) correct / to);
                run.recordProgress(epoch, config.epochs(), to, train.count(), lossSum / to, (double) correct / to, secondsBefore + (System.nanoTime() - start) / 1e9);
                if (stopRequested && i + 1 < steps) {
                    EpochProgress at = new EpochProgress(epoch, i + 1, lossSum, correct, secondsBefore + (System.nanoTime() - start) / 1e9);
                    status = RunStatus.INTERRUPTED;
                    ObjectNode meta = meta(epoch - 1, (long) (epoch - 1) * steps + i + 1, null);
                    ObjectNode p = meta.putObject("epoch_progress");
                    p.put("epoch", at.epoch());
                    p.put("steps_done", at.stepsDone());
                    p.put("loss_sum", at.lossSum());
                    p.put("correct", at.correct());
                    p.put("seconds", at.seconds());
                    Checkpoint.save(run.last(), model, sgd, meta);
                    interrupted = true;
                    return result;
                }
            }
            double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
            Evaluation eval = Evaluator.evaluate(model, test);
            Path checkpoint = run.epochFile(epoch);
            result = new EpochResult(epoch, lossSum / train.count(), (double) correct / train.count(),
                    eval.loss(), eval.accuracy(), seconds, train.count() / seconds, lr, Memory.rssMb(), checkpoint);
            Health.Verdict verdict = Health.judge(result.trainLoss(), result.testAccuracy(), config);
            boolean last = epoch == config.epochs();
            boolean stopping = !last && (stopRequested || epoch == lastEpoch);
            status = last ? (verdict == null || verdict.status() == null ? RunStatus.FINISHED : verdict.status())
                    : stopping ? RunStatus.INTERRUPTED : RunStatus.TRAINING;
            ObjectNode meta = meta(epoch, (long) epoch * steps, result);
            Checkpoint.save(checkpoint, model, sgd, meta);
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

    private ObjectNode meta(int epoch, long step, EpochResult r) {
        ObjectNode meta = Checkpoint.JSON.createObjectNode();
        ObjectNode arch = meta.putObject("architecture");
        arch.put("name", "LeNet-5");
        arch.put("activation", config.activation().cliName());
        arch.put("pooling", config.pooling().cliName());
        arch.putArray("input_shape").add(1).add(LeNet.IMAGE_SIZE).add(LeNet.IMAGE_SIZE);
        arch.put("classes", LeNet.CLASSES);
        meta.put("input_normalization", Checkpoint.INPUT_NORMALIZATION);
        meta.put("status", status.jsonName());
        meta.put("epoch", epoch);
        meta.put("step", step);
        meta.put("seed", config.seed());
        meta.put("dataset", config.dataset());
        meta.set("config", configJson(config));
        ObjectNode optimizer = meta.putObject("optimizer");
        optimizer.put("type", "sgd");
        optimizer.put("state", "momentum.<param> arrays: the velocity buffer of each parameter");
        if (r != null) {
            ObjectNode metrics = meta.putObject("metrics");
            metrics.put("train_loss", r.trainLoss());
            metrics.put("train_accuracy", r.trainAccuracy());
            metrics.put("test_loss", r.testLoss());
            metrics.put("test_accuracy", r.testAccuracy());
        }
        meta.put("created", OffsetDateTime.now().toString());
        return meta;
    }

    /**
     * After a NaN loss: last.npz becomes the last good state marked {@code diverged} (the newest
     * checkpoint of this run, or the run's starting weights when none was written yet), so that
     * {@code lenet runs} and the commands that pick the newest model see what happened.
     */
    private void keepLastGoodAsDiverged(Map<String, lenet.io.NdArray> start, Map<String, lenet.io.NdArray> startMomentum, int epoch) throws IOException {
        if (Files.exists(run.last())) {
            Checkpoint.rewriteStatus(run.last(), RunStatus.DIVERGED);
        } else if (start != null) {
            ObjectNode meta = meta(epoch - 1, (long) (epoch - 1) * stepsPerEpoch(), null);
            Checkpoint.save(run.last(), start, startMomentum, meta);
        }
    }

    static ObjectNode configJson(TrainConfig c) {
        ObjectNode n = Checkpoint.JSON.createObjectNode();
        n.put("recipe", c.recipe());
        n.put("dataset", c.dataset());
        n.put("data_dir", c.dataDir().toString());
        n.put("activation", c.activation().cliName());
        n.put("pooling", c.pooling().cliName());
        n.put("init_gain", c.initGain());
        n.put("lr", c.lr());
        n.put("schedule", c.schedule().cliName());
        n.put("momentum", c.momentum());
        n.put("weight_decay", c.weightDecay());
        n.put("batch_size", c.batchSize());
        n.put("epochs", c.epochs());
        n.put("max_shift", c.maxShift());
        n.put("shift_from_epoch", c.shiftFrom());
        n.put("shuffle", c.shuffle());
        n.put("limit", c.limit());
        n.put("seed", c.seed());
        return n;
    }

    /** The settings a checkpoint was trained with, to continue its run. */
    public static TrainConfig configOf(Checkpoint.Contents checkpoint) {
        JsonNode n = checkpoint.meta() == null ? null : checkpoint.meta().get("config");
        if (n == null || !n.isObject()) {
            throw new LenetException(checkpoint.file() + ": has no training state (meta.json with config) to resume; use --init to start a new run from its weights");
        }
        try {
            return new TrainConfig(
                    n.get("dataset").asText(),
                    Path.of(n.get("data_dir").asText()),
                    LeNet.Activation.valueOf(n.get("activation").asText().toUpperCase(java.util.Locale.ROOT)),
                    LeNet.Pooling.valueOf(n.get("pooling").asText().toUpperCase(java.util.Locale.ROOT)),
                    n.path("init_gain").asDouble(1.0), // absent before init_gain existed: plain Xavier
                    n.get("lr").asDouble(),
                    LearningRateSchedule.fromCli(n.get("schedule").asText()),
                    n.get("momentum").asDouble(),
                    n.get("weight_decay").asDouble(),
                    n.get("batch_size").asInt(),
                    n.get("epochs").asInt(),
                    n.get("max_shift").asInt(),
                    n.get("shift_from_epoch").asInt(),
                    n.get("shuffle").asBoolean(),
                    n.get("limit").asInt(),
                    n.get("seed").asLong(),
                    n.get("recipe").asText());
        } catch (RuntimeException e) {
            throw new LenetException(checkpoint.file() + ": meta.json's config is incomplete or invalid; the checkpoint cannot be resumed");
        }
    }

    /** Where a checkpoint saved mid-epoch stopped, or null for one saved after a whole epoch. */
    public static EpochProgress progressOf(Checkpoint.Contents checkpoint) {
        JsonNode p = checkpoint.meta() == null ? null : checkpoint.meta().get("epoch_progress");
        if (p == null || !p.isObject()) return null;
        return new EpochProgress(p.path("epoch").asInt(), p.path("steps_done").asInt(), p.path("loss_sum").asDouble(),
                p.path("correct").asLong(), p.path("seconds").asDouble());
    }

    /** The epoch a checkpoint was saved after (0 when unknown). */
    public static int epochOf(Checkpoint.Contents checkpoint) {
        return checkpoint.meta() == null ? 0 : checkpoint.meta().path("epoch").asInt(0);
    }

}
