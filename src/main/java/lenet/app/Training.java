package lenet.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import lenet.LenetException;
import lenet.SettingException;
import lenet.data.Dataset;
import lenet.engine.Engines;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.train.Checkpoint;
import lenet.train.EpochResult;
import lenet.train.RunFolder;
import lenet.train.RunStatus;
import lenet.train.TrainConfig;
import lenet.train.TrainSettings;
import lenet.train.Trainer;

/**
 * A training run made ready, new or resumed: its settings resolved and checked, its data read, its
 * model built on the engine {@link Engines} chooses, its run folder locked. Everything that can be
 * refused is refused before the run folder exists; {@link #close()} releases the folder.
 */
public final class Training implements AutoCloseable {
    /** Notes and warnings from preparing a run, for the front end to show (settings named as {@code {lr}}). */
    public interface Notes {
        void note(String line);

        void warning(String line);
    }

    /**
     * A new run.
     *
     * @param settings  the settings given (the recipe fills the rest)
     * @param out       the run folder (null: a new one under {@code runsRoot})
     * @param force     train in an {@code out} that holds other files (never a run's)
     * @param init      start from these weights (null: the recipe's initialisation)
     * @param stopAfter stop after this epoch of the planned ones (null: at the end)
     */
    public record NewRun(TrainSettings settings, Path out, boolean force, Path init, Integer stopAfter, Path runsRoot) {}

    /**
     * A run continued from its checkpoint, in its own folder, with its own settings: {@code given}
     * may only repeat them (a different value is refused), except the epochs (to extend the run)
     * and the data folder (moved).
     */
    public record Resume(Path checkpoint, TrainSettings given, Integer stopAfter, boolean force) {}

    private final TrainConfig config;
    private final Trainer trainer;
    private final RunFolder run;
    private final int lastEpoch;

    private Training(TrainConfig config, Trainer trainer, RunFolder run, int lastEpoch) {
        this.config = config;
        this.trainer = trainer;
        this.run = run;
        this.lastEpoch = lastEpoch;
    }

    /** Prepares a new run; {@code defaultDataDir} is where a data set lives when no folder is given. */
    public static Training start(NewRun request, java.util.function.Function<String, Path> defaultDataDir, Notes notes) {
        TrainSettings given = request.settings().validated();
        int planned = given.plannedEpochs();
        int lastEpoch = lastEpoch(request.stopAfter(), planned, 1, null);
        Path dir = given.dataDir() != null ? given.dataDir() : defaultDataDir.apply(given.datasetOrDefault());
        Data data = Data.read(dir, given.limit() == null ? 0 : given.limit(), notes);
        TrainSettings.Resolved resolved = given.resolve(data.train.count(), defaultDataDir.apply(given.datasetOrDefault()), request.init());
        TrainConfig config = resolved.config();
        checkBatch(given.batchSize(), config, data.train);
        if (resolved.sizingNote() != null) notes.note(resolved.sizingNote());
        ModelSpec spec = config.architecture().spec();
        ModelState state = request.init() == null ? Trainer.newModel(config) : initFrom(request.init(), config.architecture(), notes);
        Trainable model = Engines.forTraining(spec).trainable(spec, state, new Sgd(config.momentum(), config.weightDecay()), Map.of());
        RunFolder run = RunFolder.createNew(request.out(), request.runsRoot(), request.force());
        return new Training(config, new Trainer(config, data.train, data.test, model, run, 1), run, lastEpoch);
    }

    /** Prepares a run continued from its checkpoint. */
    public static Training resume(Resume request, Notes notes) {
        RunFolder run = RunFolder.forResume(request.checkpoint(), request.force()); // locked before the checkpoint is read
        try {
            Checkpoint.Contents saved = Checkpoint.load(request.checkpoint());
            TrainConfig config = Trainer.configOf(saved);
            TrainSettings given = request.given().validated();
            given.refuseContradictions(config, request.checkpoint());
            if (given.epochs() != null) config = config.withEpochs(given.epochs());
            if (given.dataDir() != null) config = config.withDataDir(given.dataDir());
            int firstEpoch = Trainer.epochOf(saved) + 1;
            Trainer.EpochProgress progress = Trainer.progressOf(saved);
            int lastEpoch = lastEpoch(request.stopAfter(), config.epochs(), firstEpoch, progress);
            Data data = Data.read(config.dataDir(), config.limit(), notes);
            ModelSpec spec = config.architecture().spec();
            Map<String, NdArray> optimizer = saved.optimizerState();
            Trainable model = Engines.forTraining(spec).trainable(spec, saved.state(spec), new Sgd(config.momentum(), config.weightDecay()), optimizer);
            run.keepMetricsUpTo(firstEpoch - 1);
            int steps = (data.train.count() + config.batchSize() - 1) / config.batchSize();
            notes.note("resuming " + run.dir() + " from epoch " + firstEpoch + ", step " + (progress == null ? 1 : progress.stepsDone() + 1)
                    + " (of " + steps + " a epoch)");
            Trainer trainer = new Trainer(config, data.train, data.test, model, run, firstEpoch).continuing(progress);
            return new Training(config, trainer, run, lastEpoch);
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    /** The planned epochs' last one this command trains: {@code stopAfter} when given, which must lie within the run. */
    private static int lastEpoch(Integer stopAfter, int planned, int firstEpoch, Trainer.EpochProgress progress) {
        if (stopAfter == null) return planned;
        if (stopAfter < 1) throw new SettingException("stop-after", "{stop-after} must be at least 1, was " + stopAfter);
        if (stopAfter > planned) {
            throw new SettingException("stop-after", "{stop-after} " + stopAfter + " is beyond the " + planned + " planned epochs; give a smaller"
                    + " {stop-after}, or more {epochs}");
        }
        if (stopAfter < firstEpoch && progress == null) {
            throw new SettingException("stop-after", "{stop-after} " + stopAfter + ": the run has already done " + (firstEpoch - 1) + " epochs");
        }
        return stopAfter;
    }

    /** A batch holds at most the training set, and one training step must fit in memory. */
    private static void checkBatch(Integer given, TrainConfig config, Dataset train) {
        if (given != null && given > train.count()) {
            throw new SettingException("batch-size", "{batch-size} " + given + " is more than the " + train.count()
                    + " training images; use at most " + train.count());
        }
        String problem = Engines.trainingMemoryProblem(config.architecture().spec(), Math.min(config.batchSize(), train.count()));
        if (problem != null) throw new SettingException("batch-size", "{batch-size} " + config.batchSize() + " " + problem);
    }

    /** The weights of {@code file} for {@code spec} (a checkpoint of ours, or numpy.savez of a PyTorch state_dict). */
    /**
     * The starting weights from {@code file}, for the network this run trains; a warning when the
     * file says it was trained as another (the arrays have the same shapes, but a sigmoid's weights
     * are not a ReLU's: such a run often diverges).
     */
    private static ModelState initFrom(Path file, Architecture architecture, Notes notes) {
        Checkpoint.Contents saved = Checkpoint.load(file);
        if (saved.meta() != null && !saved.architecture().equals(architecture)) {
            notes.warning(file + " was trained as " + saved.architecture().title() + ", this run is " + architecture.title()
                    + ": its weights are taken as they are; give the same --activation, --pool and --norm to continue training it");
        }
        return saved.state(architecture.spec());
    }

    /** The training and test splits, the training set cut to {@code limit} images (0: all). */
    private record Data(Dataset train, Dataset test) {
        static Data read(Path dir, int limit, Notes notes) {
            Dataset train = Dataset.loadSplit(dir, "train");
            Dataset test = Dataset.loadSplit(dir, "test");
            if (limit > train.count()) {
                notes.warning("{limit} " + limit + " is more than the " + train.count() + " training images; training on all of them");
            }
            if (limit > 0) train = train.limit(Math.min(limit, train.count()));
            return new Data(train, test);
        }
    }

    public TrainConfig config() {
        return config;
    }

    public RunFolder folder() {
        return run;
    }

    /**
     * Trains to the last epoch this command was asked for, telling {@code listener} (and drawing the
     * run's learning curves, curves.png, after every epoch) as it goes.
     */
    public EpochResult run(Trainer.Listener listener, Consumer<String> warn) throws IOException {
        return trainer.run(new CurvesListener(listener, run, config.epochs(), warn), lastEpoch);
    }

    /** Asks the run to stop after the step in progress and save it (from any thread, e.g. on Ctrl-C). */
    public void requestStop() {
        trainer.requestStop();
    }

    public boolean interrupted() {
        return trainer.interrupted();
    }

    public RunStatus status() {
        return trainer.status();
    }

    @Override
    public void close() {
        run.close();
    }

    /** A failure the front end should show as a usage error. */
    public static boolean isUsageError(LenetException e) {
        return e instanceof SettingException;
    }
}
