package lenet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.app.Training;
import lenet.io.Json;
import lenet.model.Activation;
import lenet.model.Norm;
import lenet.train.Distortion;
import lenet.model.Pooling;
import lenet.optim.LearningRateSchedule;
import lenet.train.EpochResult;
import lenet.train.Health;
import lenet.train.Recipe;
import lenet.train.RunFolder;
import lenet.train.RunStatus;
import lenet.train.TrainConfig;
import lenet.train.TrainSettings;
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
            "  ${COMMAND-FULL-NAME}                                 12 epochs of the default recipe (~99%% on MNIST)",
            "  ${COMMAND-FULL-NAME} --epochs 1 --limit 20000        a quick run on a third of the images",
            "  ${COMMAND-FULL-NAME} --activation relu --pool max    another network, with the recipe's rate for it",
            "  ${COMMAND-FULL-NAME} --resume runs/X/last.npz --epochs 15   continue a run (and extend it)"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.TRAIN_FAILED, ExitCodes.USAGE, ExitCodes.INTERRUPTED})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

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
    Activation activation;

    @Option(names = "--pool", paramLabel = "POOL", converter = Choices.PoolingConverter.class, completionCandidates = Choices.Poolings.class,
            description = "${COMPLETION-CANDIDATES} (default: avg).")
    Pooling pooling;

    @Option(names = "--norm", paramLabel = "NORM", converter = Choices.NormConverter.class, completionCandidates = Choices.Norms.class,
            description = "${COMPLETION-CANDIDATES}: batch adds batch normalisation after each conv and hidden dense layer, before the activation, "
                    + "as d2l's batch-norm chapter builds LeNet (default: none).")
    Norm norm;

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

    @Option(names = "--shift-from", paramLabel = "EPOCH", description = "First epoch whose images are shifted (and distorted) (default: " + RecipeHelp.SHIFT_FROM + ").")
    Integer shiftFrom;

    @Option(names = "--distort", paramLabel = "KIND", converter = Choices.DistortionConverter.class, completionCandidates = Choices.Distortions.class,
            description = "Augmentation on top of the shifts: ${COMPLETION-CANDIDATES}; affine turns (up to 12 degrees), scales (up to 12%%) "
                    + "and slants each image, elastic bends its strokes a little, pen closes narrow gaps as a wide pen does (default: " + RecipeHelp.DISTORT + ").")
    Distortion distort;

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

    @Mixin
    ThreadsOption threads;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder for checkpoints and metrics, new or empty (default: a new folder under runs/).")
    Path out;

    @Option(names = "--init", paramLabel = "FILE", description = "Start from the weights in this .npz (ours, or numpy.savez of a PyTorch LeNet's state_dict).")
    Path init;

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run that wrote this checkpoint, in its folder and with its settings; only --epochs (to extend it), "
                    + "--stop-after, --data and --threads may be given with it.")
    Path resume;

    @Option(names = "--json", description = "Print one JSON object per epoch on stdout, then one naming the checkpoint and the run's status.")
    boolean json;

    @Option(names = "--force", description = "Train in a --out folder that holds other files (never a run's: no file is replaced or deleted).")
    boolean force;


    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (init != null && resume != null) throw new ParameterException(cl, "--init and --resume cannot be used together");
        if (out != null && out.toString().isBlank()) throw new ParameterException(cl, "--out must name a folder, was ''");
        if (resume != null && out != null && !out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize().getParent())) {
            throw new ParameterException(cl, "--resume continues the run in its own folder (" + resume.toAbsolutePath().normalize().getParent()
                    + "); --out cannot move it: copy the folder and resume the copy, or start a new run from the weights with --init");
        }
        threads.check(cl);
        boolean quiet = GlobalOptions.isQuiet(cl);
        PrintWriter err = cl.getErr();
        Training.Notes notes = new Training.Notes() {
            @Override
            public void note(String line) {
                if (!quiet) err.println((line.startsWith("resuming ") ? "" : "note: ") + Flags.render(line));
            }

            @Override
            public void warning(String line) {
                err.println("warning: " + Flags.render(line));
            }
        };
        threads.apply();
        TrainSettings given = settings();
        try (Training training = resume != null
                ? Training.resume(new Training.Resume(resume, given, stopAfter, force), notes)
                : Training.start(new Training.NewRun(given, out, force, init, stopAfter, Defaults.runs()), Defaults::dataDir, notes)) {
            ProgressBar bar = !json && !quiet && Terminal.stderrIsTerminal() ? new ProgressBar(err, Terminal.columns(), System::nanoTime) : null;
            TrainReport report = new TrainReport(cl.getOut(), err, json, quiet, bar);
            EpochResult last;
            int exit;
            try (Interrupts interrupts = new Interrupts(training::requestStop, err)) {
                last = training.run(report, notes::warning);
                exit = interrupts.exitCode();
            } finally {
                report.clearProgress(); // an error message then starts on a clean line
            }
            if (training.interrupted()) {
                report.interrupted(training.folder());
                return exit;
            }
            report.finished(training.folder(), last, training.status(), training.config());
            return training.status() == RunStatus.DIVERGED || training.status() == RunStatus.AT_CHANCE ? 1 : 0;
        }
    }

    /** The settings given on the command line, null where a flag was not. */
    private TrainSettings settings() {
        return new TrainSettings(dataset, dataDir, recipe, activation, pooling, norm, initGain, lr, schedule, momentum, weightDecay, batchSize,
                epochs, shift, shiftFrom, distort, noShuffle ? Boolean.FALSE : null, limit, seed);
    }

    /**
     * Progress lines on stderr (none with --quiet) and, on a terminal, a progress bar during each
     * epoch; with --json, one object per epoch on stdout.
     */
    static final class TrainReport implements Trainer.Listener {
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
            err.printf(Locale.ROOT, "%s on %s: %d training and %d test images, seed %d%n",
                    c.architecture().title(), c.dataset(), trainImages, testImages, c.seed());
            err.printf(Locale.ROOT, "recipe %s: %s, lr %s (%s), momentum %s, weight decay %s, batch %d, %d epoch%s, shift %s, %s%s%n",
                    c.recipe(), c.initFrom() != null ? "weights from " + c.initFrom() : "Xavier init x" + num(c.initGain()) + " (output layer x1)", num(c.lr()), c.schedule().cliName(), num(c.momentum()), num(c.weightDecay()), c.batchSize(), c.epochs(), c.epochs() == 1 ? "" : "s",
                    c.maxShift() == 0 ? "off" : "up to " + c.maxShift() + " px" + (c.shiftFrom() > 1 ? " from epoch " + c.shiftFrom() : ""),
                    c.distortion() == Distortion.NONE ? "" : "distortion " + c.distortion().describe() + (c.shiftFrom() > 1 ? " from epoch " + c.shiftFrom() : "") + ", ",
                    c.shuffle() ? "shuffled" : "not shuffled");
            if (c.distortion() != Distortion.NONE && c.shiftFrom() > c.epochs()) {
                err.printf(Locale.ROOT, "note: the distortion starts at epoch %d (--shift-from), after this run's last epoch: it is never applied%n", c.shiftFrom());
            }
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
            if (verdict != null) err.println("warning: epoch " + r.epoch() + ": " + Flags.render(verdict.line()));
            err.flush();
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
                if (verdict != null) m.put("warning", Flags.render(verdict.line()));
                println(m);
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
                            verdict == null ? "the run did not learn" : Flags.render(verdict.line()), run.last());
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
            out.println(Json.line(m));
            out.flush();
        }

        private static String num(double v) {
            return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        }
    }
}
