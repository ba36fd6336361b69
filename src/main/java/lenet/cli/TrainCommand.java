package lenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.data.Dataset;
import lenet.nn.LeNet;
import lenet.optim.LearningRateSchedule;
import lenet.optim.Sgd;
import lenet.report.Curves;
import lenet.train.Checkpoint;
import lenet.train.EpochResult;
import lenet.train.Recipe;
import lenet.train.RunFolder;
import lenet.train.StepMemory;
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
            "Flags not given come from the recipe (default: 12 epochs, about 99%% on MNIST)."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the IDX files (default: data/<dataset>).")
    Path dataDir;

    @Option(names = "--recipe", defaultValue = "default",
            description = "Starting settings: default (momentum, one-cycle, shifts; ~99%%) or d2l (the book's: lr 0.9, batch 256, 10 epochs).")
    String recipe;

    @Option(names = "--activation", description = "sigmoid (default) or relu.")
    LeNet.Activation activation;

    @Option(names = "--pool", description = "avg (default) or max.")
    LeNet.Pooling pooling;

    @Option(names = "--epochs", description = "Passes over the training set.")
    Integer epochs;

    @Option(names = "--batch-size", description = "Images per SGD step; the last, smaller batch of an epoch is kept.")
    Integer batchSize;

    @Option(names = "--lr", description = "Learning rate (the peak rate under one-cycle).")
    Double lr;

    @Option(names = "--schedule", description = "Learning-rate schedule: one-cycle or constant.")
    String schedule;

    @Option(names = "--momentum", description = "SGD momentum, 0 for plain SGD.")
    Double momentum;

    @Option(names = "--weight-decay", description = "L2 weight decay, added to the gradient as in PyTorch's SGD.")
    Double weightDecay;

    @Option(names = "--shift", paramLabel = "PIXELS", description = "Augmentation: move each training image by up to this many pixels; 0 turns it off.")
    Integer shift;

    @Option(names = "--init-gain", paramLabel = "GAIN",
            description = "New weights are Xavier-uniform times GAIN (default recipe: 4 for sigmoid, as Glorot and Bengio advise; 1 for relu and the d2l recipe, PyTorch's xavier_uniform_).")
    Double initGain;

    @Option(names = "--shift-from", paramLabel = "EPOCH", description = "First epoch whose images are shifted (default recipe: 2).")
    Integer shiftFrom;

    @Option(names = "--no-shuffle", description = "Keep the training images in file order instead of a new random order each epoch.")
    boolean noShuffle;

    @Option(names = "--limit", paramLabel = "N", description = "Train on the first N training images only.")
    Integer limit;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for initialisation, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop-after", paramLabel = "EPOCH",
            description = "Stop after this epoch of the planned --epochs (the schedule stays the full run's); --resume continues.")
    Integer stopAfter;

    @Option(names = "--threads", description = "Threads for the native kernels (default: ND4J's, which follows OMP_NUM_THREADS).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder for checkpoints and metrics.csv, new or empty (default: a new folder under runs/).")
    Path out;

    @Option(names = "--init", paramLabel = "FILE", description = "Start from the weights in this .npz (ours, or numpy.savez of a PyTorch LeNet's state_dict).")
    Path init;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the run that wrote this checkpoint, with its settings, up to --epochs.")
    Path resume;

    @Option(names = "--json", description = "Print one JSON object per epoch on stdout, then one naming the checkpoint.")
    boolean json;

    @Option(names = "--force", description = "Train in a --out folder that holds other files (never a run's: no file is replaced or deleted).")
    boolean force;

    /** The locked run folder, released when the command ends (a process that dies releases it too). */
    private RunFolder run;

    @Override
    public Integer call() throws Exception {
        try {
            return train();
        } finally {
            if (run != null) run.close();
        }
    }

    private Integer train() throws Exception {
        CommandLine cl = spec.commandLine();
        if (init != null && resume != null) throw new ParameterException(cl, "--init and --resume cannot be used together");
        checkRunFolderFlags(cl);
        Threads.apply(threads, cl);

        TrainConfig config;
        LeNet model;
        Sgd sgd;
        int firstEpoch;
        Trainer.EpochProgress progress = null;
        if (resume != null) {
            run = RunFolder.forResume(resume, force); // locked before the checkpoint is read
            Checkpoint.Contents saved = Checkpoint.load(resume);
            config = Trainer.configOf(saved);
            if (epochs != null) config = config.withEpochs(positive("--epochs", epochs));
            if (dataDir != null) config = config.withDataDir(dataDir);
            firstEpoch = Trainer.epochOf(saved) + 1;
            progress = Trainer.progressOf(saved);
            model = saved.model(config.activation(), config.pooling());
            sgd = new Sgd(model.paramBlock(), config.momentum(), config.weightDecay());
            sgd.loadState(saved.sgdState());
            run.keepMetricsUpTo(firstEpoch - 1);
        } else {
            config = configFromFlags(cl);
            model = init == null ? Trainer.newModel(config) : Checkpoint.load(init).model(config.activation(), config.pooling());
            sgd = new Sgd(model.paramBlock(), config.momentum(), config.weightDecay());
            run = RunFolder.createNew(out, Defaults.RUNS, force);
            firstEpoch = 1;
        }

        Dataset train = Dataset.loadSplit(config.dataDir(), "train");
        if (config.limit() > 0) train = train.limit(Math.min(config.limit(), train.count()));
        checkBatchSize(cl, config, train);
        Dataset test = Dataset.loadSplit(config.dataDir(), "test");

        boolean quiet = GlobalOptions.isQuiet(cl);
        PrintWriter err = cl.getErr();
        ProgressBar bar = !json && !quiet && Terminal.stderrIsTerminal() ? new ProgressBar(err, Terminal.columns(), System::nanoTime) : null;
        TrainReport report = new TrainReport(cl.getOut(), err, json, quiet, bar);
        int lastEpoch = stopAfter == null ? config.epochs() : positive("--stop-after", stopAfter);
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
        report.finished(run, last);
        return 0;
    }

    /** --out names a folder; a resumed run writes only into its own folder. */
    private void checkRunFolderFlags(CommandLine cl) {
        if (out != null && out.toString().isBlank()) throw new ParameterException(cl, "--out must name a folder, was ''");
        if (resume != null && out != null
                && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize().getParent())) {
            throw new ParameterException(cl, "--resume continues the run in its own folder (" + resume.toAbsolutePath().normalize().getParent()
                    + "); --out cannot move it: copy the folder and resume the copy, or start a new run from the weights with --init");
        }
    }

    /** A batch holds at most the training set, and one training step must fit in memory. */
    private void checkBatchSize(CommandLine cl, TrainConfig config, Dataset train) {
        if (batchSize != null && batchSize > train.count()) {
            throw new ParameterException(cl, "--batch-size " + batchSize + " is more than the " + train.count()
                    + " training images; use at most " + train.count());
        }
        String problem = StepMemory.problem(Math.min(config.batchSize(), train.count()));
        if (problem != null) throw new ParameterException(cl, "--batch-size " + config.batchSize() + " " + problem);
    }

    private TrainConfig configFromFlags(CommandLine cl) {
        Recipe r;
        try {
            r = Recipe.valueOf(recipe.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--recipe must be default or d2l, was '" + recipe + "'");
        }
        if (!dataset.equals("mnist") && !dataset.equals("fashion-mnist")) {
            throw new ParameterException(cl, "--dataset must be mnist or fashion-mnist, was '" + dataset + "'");
        }
        LearningRateSchedule sched;
        try {
            sched = schedule == null ? r.schedule : LearningRateSchedule.fromCli(schedule);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(cl, "--schedule must be one-cycle or constant, was '" + schedule + "'");
        }
        LeNet.Activation act = activation != null ? activation : LeNet.Activation.SIGMOID;
        return new TrainConfig(
                dataset,
                dataDir != null ? dataDir : Defaults.dataDir(dataset),
                act,
                pooling != null ? pooling : LeNet.Pooling.AVG,
                finitePositive("--init-gain", initGain != null ? initGain : r.initGain(act)),
                finitePositive("--lr", lr != null ? lr : r.lr),
                sched,
                fraction("--momentum", momentum != null ? momentum : r.momentum),
                nonNegative("--weight-decay", weightDecay != null ? weightDecay : r.weightDecay),
                positive("--batch-size", batchSize != null ? batchSize : r.batchSize),
                positive("--epochs", epochs != null ? epochs : r.epochs),
                range("--shift", shift != null ? shift : r.maxShift, 0, 8),
                positive("--shift-from", shiftFrom != null ? shiftFrom : r.shiftFrom),
                !noShuffle,
                limit == null ? 0 : positive("--limit", limit),
                seed,
                r.cliName());
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
            err.printf(Locale.ROOT, "recipe %s: Xavier init x%s, lr %s (%s), momentum %s, weight decay %s, batch %d, %d epochs, shift %s, %s%n",
                    c.recipe(), num(c.initGain()), num(c.lr()), c.schedule().cliName(), num(c.momentum()), num(c.weightDecay()), c.batchSize(), c.epochs(),
                    c.maxShift() == 0 ? "off" : "up to " + c.maxShift() + " px" + (c.shiftFrom() > 1 ? " from epoch " + c.shiftFrom() : ""), c.shuffle() ? "shuffled" : "not shuffled");
            err.printf("run folder %s%s%n", run.dir(), firstEpoch > 1 ? " (resuming after epoch " + (firstEpoch - 1) + ")" : "");
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
        public void epochDone(EpochResult r) {
            clearProgress();
            epochStart = nanoTime.getAsLong(); // the next epoch's steps start now
            if (!quiet) err.printf(Locale.ROOT, "epoch %2d/%d  train loss %.4f acc %6.2f%%  test loss %.4f acc %6.2f%%  %5.1f s  %,.0f img/s  %.0f MB%n",
                    r.epoch(), epochs, r.trainLoss(), 100 * r.trainAccuracy(), r.testLoss(), 100 * r.testAccuracy(),
                    r.seconds(), r.imagesPerSecond(), r.rssMb());
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

        void finished(RunFolder run, EpochResult last) {
            if (last == null) {
                err.println("nothing to train: the run already has all its epochs; raise --epochs to continue it");
            } else {
                err.printf(Locale.ROOT, "done: test accuracy %.2f%%; checkpoint %s%n", 100 * last.testAccuracy(), run.last());
            }
            err.flush();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("checkpoint", run.last().toString());
                m.put("run_dir", run.dir().toString());
                if (last != null) {
                    m.put("epochs", last.epoch());
                    m.put("test_accuracy", last.testAccuracy());
                }
                println(m);
            }
        }

        void interrupted(RunFolder run) {
            err.printf("interrupted: %s holds the last completed step; continue the run with%n  lenet train --resume %s%n",
                    run.last(), run.last());
            err.flush();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("checkpoint", run.last().toString());
                m.put("run_dir", run.dir().toString());
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
