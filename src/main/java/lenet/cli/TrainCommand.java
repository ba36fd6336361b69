package lenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.data.Dataset;
import lenet.data.Datasets;
import lenet.train.Health;
import lenet.train.RunStatus;
import lenet.nn.LeNet;
import lenet.optim.LearningRateSchedule;
import lenet.optim.Sgd;
import lenet.report.Curves;
import lenet.train.Checkpoint;
import lenet.train.EpochResult;
import lenet.train.Recipe;
import lenet.train.RunFolder;
import lenet.train.TrainConfig;
import lenet.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lenet train}: builds a config from the flags and the recipe, and hands it to the trainer. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Train LeNet with minibatch SGD, evaluating on the test set and saving a checkpoint after every epoch.",
            "Flags not given come from the recipe: default (12 epochs, about 99%% on MNIST) or d2l (the book's settings). "
                    + "A run that does not learn (a loss above chance, a test accuracy at chance) says so after the epoch and at the end."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}                                 12 epochs of the default recipe (~99% on MNIST)",
            "  ${COMMAND-FULL-NAME} --epochs 1 --limit 20000        a quick run on a third of the images",
            "  ${COMMAND-FULL-NAME} --activation relu --pool max    another network, with the recipe's rate for it",
            "  ${COMMAND-FULL-NAME} --resume runs/X/last.npz --epochs 15   continue a run (and extend it)"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.TRAIN_FAILED, ExitCodes.USAGE, ExitCodes.INTERRUPTED})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--dataset", paramLabel = "DATASET", converter = Choices.DatasetConverter.class, completionCandidates = Choices.DatasetNames.class,
            description = "${COMPLETION-CANDIDATES} (default: mnist).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the IDX files (default: data/<dataset>).")
    Path dataDir;

    @Option(names = "--recipe", paramLabel = "RECIPE", converter = Choices.RecipeConverter.class, completionCandidates = Choices.Recipes.class,
            description = "Where the settings not given start from: ${COMPLETION-CANDIDATES} (default: default). "
                    + "default: momentum, one-cycle schedule, shifts, ~99%%; d2l: the book's plain SGD, lr 0.9, batch 256, 10 epochs.")
    Recipe recipe;

    @Option(names = "--activation", paramLabel = "ACTIVATION", converter = Choices.ActivationConverter.class, completionCandidates = Choices.Activations.class,
            description = "${COMPLETION-CANDIDATES} (default: sigmoid).")
    LeNet.Activation activation;

    @Option(names = "--pool", paramLabel = "POOL", converter = Choices.PoolingConverter.class, completionCandidates = Choices.Poolings.class,
            description = "${COMPLETION-CANDIDATES} (default: avg).")
    LeNet.Pooling pooling;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set (default: " + RecipeHelp.EPOCHS + ").")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Images per SGD step; the last, smaller batch of an epoch is kept (default: " + RecipeHelp.BATCH + ").")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate, the peak rate under one-cycle (default: " + RecipeHelp.LR + ").")
    Double lr;

    @Option(names = "--schedule", paramLabel = "SCHEDULE", converter = Choices.ScheduleConverter.class, completionCandidates = Choices.Schedules.class,
            description = "How the rate changes from step to step: ${COMPLETION-CANDIDATES} (default: " + RecipeHelp.SCHEDULE + ").")
    LearningRateSchedule schedule;

    @Option(names = "--momentum", paramLabel = "X", description = "SGD momentum, 0 for plain SGD (default: " + RecipeHelp.MOMENTUM + ").")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "X",
            description = "L2 weight decay, added to the gradient as in PyTorch's SGD (default: " + RecipeHelp.WEIGHT_DECAY + ").")
    Double weightDecay;

    @Option(names = "--shift", paramLabel = "PIXELS",
            description = "Augmentation: move each training image by up to this many pixels; 0 turns it off (default: " + RecipeHelp.SHIFT + ").")
    Integer shift;

    @Option(names = "--shift-from", paramLabel = "EPOCH", description = "First epoch whose images are shifted (default: " + RecipeHelp.SHIFT_FROM + ").")
    Integer shiftFrom;

    @Option(names = "--init-gain", paramLabel = "X",
            description = "The weights of the layers before an activation start Xavier-uniform times X (PyTorch's xavier_uniform_ at 1); "
                    + "the output layer starts from plain Xavier (default: " + RecipeHelp.INIT_GAIN + ").")
    Double initGain;

    @Option(names = "--no-shuffle", description = "Keep the training images in file order instead of a new random order each epoch.")
    boolean noShuffle;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training images only (default: all).")
    Integer limit;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for initialisation, shuffling and augmentation (default: 1).")
    Long seed;

    @Option(names = "--stop-after", paramLabel = "EPOCH",
            description = "Stop after this epoch of the planned --epochs (the schedule stays the full run's); --resume continues.")
    Integer stopAfter;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the native kernels (default: ND4J's, which follows OMP_NUM_THREADS).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder for checkpoints and metrics (default: a new folder under runs/).")
    Path out;

    @Option(names = "--init", paramLabel = "FILE", description = "Start from the weights in this .npz (ours, or numpy.savez of a PyTorch LeNet's state_dict).")
    Path init;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run that wrote this checkpoint, in its folder and with its settings; only --epochs (to extend it), "
                    + "--stop-after, --data and --threads may be given with it.")
    Path resume;

    @Option(names = "--json", description = "Print one JSON object per epoch on stdout, then one naming the checkpoint and the run's status.")
    boolean json;

    /** Said before training when the recipe sized a short run's batch and rate; null otherwise. */
    private String sizingNote;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (init != null && resume != null) throw new ParameterException(cl, "--init and --resume cannot be used together");
        Threads.check(threads, cl);
        boolean quiet = GlobalOptions.isQuiet(cl);
        PrintWriter err = cl.getErr();

        // Everything that can be refused is checked before a run folder exists.
        checkFlags();
        TrainConfig config = null;
        Checkpoint.Contents saved = resume == null ? null : Checkpoint.load(resume);
        int firstEpoch = 1;
        Trainer.EpochProgress progress = null;
        if (saved != null) {
            if (out != null) throw new ParameterException(cl, "--out cannot be given with --resume: a resumed run continues in its own folder, "
                    + resume.toAbsolutePath().getParent());
            config = Trainer.configOf(saved);
            refuseContradictions(cl, config);
            if (epochs != null) config = config.withEpochs(epochs);
            if (dataDir != null) config = config.withDataDir(dataDir);
            firstEpoch = Trainer.epochOf(saved) + 1;
            progress = Trainer.progressOf(saved);
        }
        Path dir = config != null ? config.dataDir() : dataDir();
        int planned = config != null ? config.epochs() : epochs != null ? epochs : (recipe == null ? Recipe.DEFAULT : recipe).epochs;
        int lastEpoch = stopAfter == null ? planned : stopAfter;
        if (lastEpoch > planned) {
            throw new ParameterException(cl, "--stop-after " + lastEpoch + " is beyond the " + planned + " planned epochs; give a smaller"
                    + " --stop-after, or more --epochs");
        }
        if (saved != null && stopAfter != null && lastEpoch < firstEpoch && progress == null) {
            throw new ParameterException(cl, "--stop-after " + lastEpoch + ": the run has already done " + (firstEpoch - 1) + " epochs");
        }
        Dataset train = Dataset.loadSplit(dir, "train");
        Dataset test = Dataset.loadSplit(dir, "test");
        int wanted = config != null ? config.limit() : limit == null ? 0 : limit;
        if (wanted > train.count()) {
            err.println("warning: --limit " + wanted + " is more than the " + train.count() + " training images; training on all of them");
        }
        if (wanted > 0) train = train.limit(Math.min(wanted, train.count()));
        if (config == null) config = configFromFlags(train.count());
        if (sizingNote != null && !quiet) err.println("note: " + sizingNote);
        Threads.apply(threads, cl);

        LeNet model;
        Sgd sgd;
        RunFolder run;
        if (saved != null) {
            model = saved.model(config.activation(), config.pooling());
            sgd = new Sgd(model.paramBlock(), config.momentum(), config.weightDecay());
            sgd.loadState(saved.sgdState());
            run = RunFolder.forResume(resume, firstEpoch - 1);
            if (!quiet) {
                int steps = (train.count() + config.batchSize() - 1) / config.batchSize();
                err.printf(Locale.ROOT, "resuming %s from epoch %d, step %d (of %d a epoch)%n", run.dir(), firstEpoch,
                        progress == null ? 1 : progress.stepsDone() + 1, steps);
            }
        } else {
            model = init == null ? Trainer.newModel(config) : Checkpoint.load(init).model(config.activation(), config.pooling());
            sgd = new Sgd(model.paramBlock(), config.momentum(), config.weightDecay());
            run = RunFolder.createNew(out, Defaults.runs());
        }

        ProgressBar bar = !json && !quiet && Terminal.stderrIsTerminal() ? new ProgressBar(err, Terminal.columns(), System::nanoTime) : null;
        TrainReport report = new TrainReport(cl.getOut(), err, json, quiet, bar);
        Trainer trainer = new Trainer(config, train, test, model, sgd, run, firstEpoch).continuing(progress);
        EpochResult last;
        int exit;
        try (Interrupts interrupts = new Interrupts(trainer::requestStop, err)) {
            last = trainer.run(report, lastEpoch);
            exit = interrupts.exitCode();
        } finally {
            report.clearProgress(); // an error message then starts on a clean line
        }
        if (trainer.interrupted()) {
            report.interrupted(run);
            return exit;
        }
        report.finished(run, last, trainer.status(), config);
        return trainer.status() == RunStatus.DIVERGED || trainer.status() == RunStatus.AT_CHANCE ? 1 : 0;
    }

    /**
     * A resumed run keeps its own settings: a flag that names another value is a usage error that
     * says the run's value (giving the same value is harmless).
     */
    private void refuseContradictions(CommandLine cl, TrainConfig c) {
        contradiction(cl, "--dataset", dataset, c.dataset());
        contradiction(cl, "--recipe", recipe == null ? null : recipe.cliName(), c.recipe());
        contradiction(cl, "--activation", activation == null ? null : activation.cliName(), c.activation().cliName());
        contradiction(cl, "--pool", pooling == null ? null : pooling.cliName(), c.pooling().cliName());
        contradiction(cl, "--init-gain", initGain, c.initGain());
        contradiction(cl, "--lr", lr, c.lr());
        contradiction(cl, "--schedule", schedule == null ? null : schedule.cliName(), c.schedule().cliName());
        contradiction(cl, "--momentum", momentum, c.momentum());
        contradiction(cl, "--weight-decay", weightDecay, c.weightDecay());
        contradiction(cl, "--batch-size", batchSize, c.batchSize());
        contradiction(cl, "--shift", shift, c.maxShift());
        contradiction(cl, "--shift-from", shiftFrom, c.shiftFrom());
        contradiction(cl, "--no-shuffle", noShuffle ? Boolean.FALSE : null, c.shuffle());
        contradiction(cl, "--limit", limit, c.limit());
        contradiction(cl, "--seed", seed, c.seed());
    }

    private void contradiction(CommandLine cl, String flag, Object given, Object runs) {
        if (given == null) return;
        boolean same = given instanceof Number g && runs instanceof Number r ? g.doubleValue() == r.doubleValue() : given.equals(runs);
        if (!same) {
            String shown = flag.equals("--no-shuffle") ? "shuffled" : String.valueOf(runs);
            throw new ParameterException(cl, flag + (flag.equals("--no-shuffle") ? "" : " " + given) + " contradicts the run being resumed, which has "
                    + flag.substring(2) + " " + shown + "; --resume continues a run with its own settings: leave " + flag
                    + " out, or start a new run from its weights with --init " + resume);
        }
    }

    /**
     * The run's settings: each flag given, else the recipe's value; {@code trainImages} (after
     * --limit) lets the recipe size a short run's batch and rate (see {@link Recipe#sizing}).
     */
    private TrainConfig configFromFlags(int trainImages) {
        Recipe r = recipe == null ? Recipe.DEFAULT : recipe;
        String name = dataset == null ? Datasets.MNIST : dataset;
        LeNet.Activation act = activation != null ? activation : LeNet.Activation.SIGMOID;
        LeNet.Pooling pool = pooling != null ? pooling : LeNet.Pooling.AVG;
        int planned = positive("--epochs", epochs != null ? epochs : r.epochs);
        Recipe.Sizing size = r.sizing(act, pool, trainImages, planned, batchSize == null ? null : positive("--batch-size", batchSize),
                lr == null ? null : finitePositive("--lr", lr));
        if (size.shortened()) {
            long steps = (long) planned * ((trainImages + size.batchSize() - 1) / size.batchSize());
            sizingNote = String.format(Locale.ROOT, "a short run: batch %d and peak lr %s (%d steps); the %s recipe's batch %d and lr %s need at least %d steps",
                    size.batchSize(), Health.num(size.lr()), steps, r.cliName(), r.batchSize, Health.num(r.lr(act, pool)), r.minSteps);
        }
        return new TrainConfig(
                name,
                dataDir(),
                act,
                pool,
                finitePositive("--init-gain", initGain != null ? initGain : r.initGain(act)),
                size.lr(),
                schedule != null ? schedule : r.schedule,
                fraction("--momentum", momentum != null ? momentum : r.momentum),
                nonNegative("--weight-decay", weightDecay != null ? weightDecay : r.weightDecay),
                size.batchSize(),
                planned,
                range("--shift", shift != null ? shift : r.maxShift, 0, 8),
                positive("--shift-from", shiftFrom != null ? shiftFrom : r.shiftFrom),
                !noShuffle,
                limit == null ? 0 : limit,
                seed == null ? 1 : seed,
                r.cliName());
    }

    private Path dataDir() {
        return dataDir != null ? dataDir : Defaults.dataDir(dataset == null ? Datasets.MNIST : dataset);
    }

    /** Every flag's value refused before anything is read, so that a typo costs nothing. */
    private void checkFlags() {
        if (initGain != null) finitePositive("--init-gain", initGain);
        if (lr != null) finitePositive("--lr", lr);
        if (momentum != null) fraction("--momentum", momentum);
        if (weightDecay != null) nonNegative("--weight-decay", weightDecay);
        if (batchSize != null) positive("--batch-size", batchSize);
        if (epochs != null) positive("--epochs", epochs);
        if (shift != null) range("--shift", shift, 0, 8);
        if (shiftFrom != null) positive("--shift-from", shiftFrom);
        if (limit != null) positive("--limit", limit);
        if (stopAfter != null) positive("--stop-after", stopAfter);
    }

    private int positive(String flag, int v) {
        if (v < 1) throw new ParameterException(spec.commandLine(), flag + " must be at least 1, was " + v);
        return v;
    }

    private int range(String flag, int v, int min, int max) {
        if (v < min || v > max) throw new ParameterException(spec.commandLine(), flag + " must be between " + min + " and " + max + ", was " + v);
        return v;
    }

    private double finitePositive(String flag, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw new ParameterException(spec.commandLine(), flag + " must be a positive number, was " + v);
        return v;
    }

    private double nonNegative(String flag, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new ParameterException(spec.commandLine(), flag + " must be zero or positive, was " + v);
        return v;
    }

    private double fraction(String flag, double v) {
        if (!(v >= 0 && v < 1)) throw new ParameterException(spec.commandLine(), flag + " must be at least 0 and below 1, was " + v);
        return v;
    }

    /**
     * Progress lines on stderr (none with --quiet) and, on a terminal, a progress bar during each
     * epoch; with --json, one object per epoch on stdout.
     */
    static final class TrainReport implements Trainer.Listener {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean json;
        private final boolean quiet;
        private final ProgressBar bar;
        private final java.util.function.LongSupplier nanoTime;
        private int epochs;
        private RunFolder run;
        private long epochStart;

        /** @param bar the progress bar to draw during epochs, or null for none (not a terminal, --json, --quiet) */
        TrainReport(PrintWriter out, PrintWriter err, boolean json, boolean quiet, ProgressBar bar) {
            this(out, err, json, quiet, bar, System::nanoTime);
        }

        TrainReport(PrintWriter out, PrintWriter err, boolean json, boolean quiet, ProgressBar bar, java.util.function.LongSupplier nanoTime) {
            this.out = out;
            this.err = err;
            this.json = json;
            this.quiet = quiet;
            this.bar = bar;
            this.nanoTime = nanoTime;
        }

        @Override
        public void started(TrainConfig c, RunFolder run, int firstEpoch, int trainImages, int testImages) {
            epochs = c.epochs();
            this.run = run;
            epochStart = nanoTime.getAsLong();
            if (quiet) return;
            err.printf(Locale.ROOT, "LeNet (%s, %s pool) on %s: %d training and %d test images, seed %d%n",
                    c.activation().cliName(), c.pooling().cliName(), c.dataset(), trainImages, testImages, c.seed());
            err.printf(Locale.ROOT, "recipe %s: Xavier init x%s (output layer x1), lr %s (%s), momentum %s, weight decay %s, batch %d, %d epochs, shift %s, %s%n",
                    c.recipe(), num(c.initGain()), num(c.lr()), c.schedule().cliName(), num(c.momentum()), num(c.weightDecay()), c.batchSize(), c.epochs(),
                    c.maxShift() == 0 ? "off" : "up to " + c.maxShift() + " px" + (c.shiftFrom() > 1 ? " from epoch " + c.shiftFrom() : ""), c.shuffle() ? "shuffled" : "not shuffled");
            err.printf("run folder %s%n", run.dir());
            err.flush();
        }

        /**
         * Redraws the bar: images done of the epoch, images a second since the epoch began, the
         * running loss and accuracy, and the time left; "testing" once the epoch's last step is done
         * (the test set is scored next).
         */
        @Override
        public void stepDone(int epoch, int images, int total, double runningLoss, double runningAccuracy) {
            if (bar == null) return;
            double seconds = (nanoTime.getAsLong() - epochStart) / 1e9;
            double rate = seconds > 0 ? images / seconds : Double.NaN;
            String tail = String.format(Locale.ROOT, "%s %s img/s loss %.4f acc %6.2f%% %s", ProgressBar.count(images, total),
                    ProgressBar.rate(rate), runningLoss, 100 * runningAccuracy,
                    images >= total ? "  testing" : ProgressBar.duration((total - images) / rate) + " left"); // as wide as "0:06 left"
            bar.update(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), images, total, tail);
        }

        void clearProgress() {
            if (bar != null) bar.clear();
        }

        @Override
        public void epochDone(EpochResult r, Health.Verdict verdict) {
            clearProgress();
            epochStart = nanoTime.getAsLong(); // the next epoch's steps start now
            if (!quiet) err.printf(Locale.ROOT, "epoch %2d/%d  train loss %.4f acc %6.2f%%  test loss %.4f acc %6.2f%%  %5.1f s  %,.0f img/s  %.0f MB%n",
                    r.epoch(), epochs, r.trainLoss(), 100 * r.trainAccuracy(), r.testLoss(), 100 * r.testAccuracy(),
                    r.seconds(), r.imagesPerSecond(), r.rssMb());
            if (verdict != null) err.println("warning: epoch " + r.epoch() + ": " + verdict.line());
            err.flush();
            drawCurves();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("epoch", r.epoch());
                m.put("train_loss", r.trainLoss());
                m.put("train_accuracy", r.trainAccuracy());
                m.put("test_loss", r.testLoss());
                m.put("test_accuracy", r.testAccuracy());
                m.put("seconds", r.seconds());
                m.put("images_per_second", r.imagesPerSecond());
                m.put("rss_mb", r.rssMb());
                if (verdict != null) m.put("warning", verdict.line());
                println(m);
            }
        }

        /** curves.png beside metrics.csv, redrawn after every epoch; a drawing failure never stops training. */
        private void drawCurves() {
            java.nio.file.Path metrics = run.dir().resolve(RunFolder.METRICS);
            if (!java.nio.file.Files.exists(metrics)) return;
            try {
                Curves.write(metrics, run.dir().resolve(Curves.FILE), epochs);
            } catch (RuntimeException e) {
                err.println("lenet: warning: could not draw " + Curves.FILE + " (" + e.getMessage() + "); training goes on");
            }
        }

        /**
         * The closing line: the test accuracy and checkpoint, and in words whether the run learned
         * ({@code done:}), stopped early ({@code stopped:}) or failed ({@code failed:}).
         */
        void finished(RunFolder run, EpochResult last, RunStatus status, TrainConfig config) {
            if (last == null) {
                err.println("nothing to train: the run already has all its epochs; raise --epochs to continue it");
            } else {
                String accuracy = String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * last.testAccuracy());
                Health.Verdict verdict = Health.judge(last.trainLoss(), last.testAccuracy(), config);
                switch (status) {
                    case FINISHED -> err.printf("done: %s; checkpoint %s%n", accuracy, run.last());
                    case INTERRUPTED -> err.printf("stopped after epoch %d of %d: %s; continue with%n  %s train --resume %s%n",
                            last.epoch(), config.epochs(), accuracy, Invocation.command(), run.last());
                    default -> err.printf("failed: %s (%s): %s; checkpoint %s%n", accuracy, status.jsonName(),
                            verdict == null ? "the run did not learn" : verdict.line(), run.last());
                }
            }
            err.flush();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("checkpoint", run.last().toString());
                m.put("run_dir", run.dir().toString());
                m.put("status", status.jsonName());
                if (last != null) {
                    m.put("epochs", last.epoch());
                    m.put("test_accuracy", last.testAccuracy());
                }
                println(m);
            }
        }

        void interrupted(RunFolder run) {
            err.printf("interrupted: %s holds the last completed step; continue the run with%n  %s train --resume %s%n",
                    run.last(), Invocation.command(), run.last());
            err.flush();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("checkpoint", run.last().toString());
                m.put("run_dir", run.dir().toString());
                m.put("status", RunStatus.INTERRUPTED.jsonName());
                m.put("interrupted", true);
                println(m);
            }
        }

        private void println(Map<String, Object> m) {
            try {
                out.println(JSON.writeValueAsString(m));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            out.flush();
        }

        private static String num(double v) {
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
    }
}
