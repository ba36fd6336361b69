package lenet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.app.Models;
import lenet.app.Scoring;
import lenet.data.Dataset;
import lenet.data.Datasets;
import lenet.io.Json;
import lenet.model.Outputs;
import lenet.train.Evaluation;
import lenet.train.Evaluator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lenet eval}: loss, accuracy, per-class accuracy and the confusion matrix of a checkpoint. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Score a checkpoint on a labelled data set: loss, accuracy, per-class accuracy, confusion matrix.",
            "The data set is the one the model was trained on unless --dataset, --data or --images says otherwise."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ${COMMAND-FULL-NAME}                                   the newest finished run on its test set",
            "  ${COMMAND-FULL-NAME} --model runs/X/epoch-07.npz --json",
            "  ${COMMAND-FULL-NAME} --split train --predictions train.csv",
            "  ${COMMAND-FULL-NAME} --images my-images.idx3 --labels my-labels.idx1"},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK, ExitCodes.FAILED, ExitCodes.USAGE})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions models;

    @Option(names = "--dataset", paramLabel = "DATASET", converter = Choices.DatasetConverter.class, completionCandidates = Choices.DatasetNames.class,
            description = "${COMPLETION-CANDIDATES} (default: the one the model was trained on).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the IDX files (default: data/<dataset>).")
    Path dataDir;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", converter = Choices.SplitConverter.class,
            completionCandidates = Choices.Splits.class, description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--images", paramLabel = "FILE", description = "Score this IDX image file (with --labels) instead of a data set split.")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX label file for --images.")
    Path labels;

    @Option(names = "--predictions", paramLabel = "FILE", description = "Write a CSV with one row per image: index, label, predicted class (and their names for Fashion-MNIST), the ten probabilities.")
    Path predictions;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--json", description = "Print the result as one JSON object (model, model_test_accuracy, data, accuracy, loss, count, per_class, confusion).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if ((images == null) != (labels == null)) throw new ParameterException(cl, "--images and --labels go together");
        threads.check(cl);
        Models.Loaded model = models.load(cl.getErr(), GlobalOptions.isQuiet(cl));
        Path modelFile = model.file();
        String dataName = ModelOptions.dataset(dataset, model, cl.getErr());
        Datasets.Classes classes = Datasets.classes(dataName);
        Dataset data;
        String source;
        if (images != null) {
            data = Dataset.load(images, labels);
            source = images.toString();
        } else {
            Path dir = dataDir != null ? dataDir : Defaults.dataDir(dataName);
            data = Dataset.loadSplit(dir, split);
            source = dir + " (" + split + ")";
        }
        threads.apply();
        boolean showProgress = !json && !GlobalOptions.isQuiet(cl) && Terminal.stderrIsTerminal();
        ProgressBar bar = showProgress ? new ProgressBar(cl.getErr(), Terminal.columns(), System::nanoTime) : null;
        Evaluation e;
        try {
            e = Scoring.score(model, data, classes, predictions, bar == null ? null : progress(bar, data.count()));
        } finally {
            if (bar != null) bar.clear();
        }

        PrintWriter out = cl.getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", modelFile.toString());
            m.put("model_test_accuracy", Double.isNaN(model.testAccuracy()) ? null : model.testAccuracy());
            m.put("data", source);
            m.put("dataset", dataName);
            m.put("classes", classes.names());
            m.put("accuracy", e.accuracy());
            m.put("loss", e.loss());
            m.put("count", e.count());
            m.put("per_class", e.perClassAccuracy());
            m.put("confusion", e.confusion());
            out.println(Json.line(m));
        } else {
            printTable(out, modelFile, source, e, classes);
        }
        out.flush();
        return 0;
    }

    /** Draws the bar after each batch: images scored, images a second, running accuracy, time left. */
    private static Evaluator.PredictionSink progress(ProgressBar bar, int total) {
        long start = System.nanoTime();
        long[] correct = {0};
        return (first, labels, probs) -> {
            for (int i = 0; i < labels.length; i++) if (Outputs.argMax(probs[i]) == labels[i]) correct[0]++;
            int done = first + labels.length;
            double rate = done / ((System.nanoTime() - start) / 1e9);
            bar.update("scoring", done, total, String.format(Locale.ROOT, "%s %s img/s acc %6.2f%% %s left", ProgressBar.count(done, total),
                    ProgressBar.rate(rate), 100.0 * correct[0] / done, ProgressBar.duration((total - done) / rate)));
        };
    }

    private static void printTable(PrintWriter out, Path modelFile, String source, Evaluation e, Datasets.Classes classes) {
        out.printf(Locale.ROOT, "model     %s%n", modelFile);
        out.printf(Locale.ROOT, "data      %s, %d images%n", source, e.count());
        out.printf(Locale.ROOT, "loss      %.4f%n", e.loss());
        out.printf(Locale.ROOT, "accuracy  %.2f%% (%d of %d)%n%n", 100 * e.accuracy(), e.correct(), e.count());
        double[] perClass = e.perClassAccuracy();
        out.println("true " + classes.noun() + " (rows) against predicted " + classes.noun() + " (columns):");
        int label = classes.numeric() ? 1 : classes.names().stream().mapToInt(String::length).max().orElse(1) + 2;
        out.print(" ".repeat(label + 6));
        for (int p = 0; p < perClass.length; p++) out.printf("%6d", p);
        out.println("   accuracy");
        for (int t = 0; t < perClass.length; t++) {
            out.printf("  %-" + label + "s  | ", classes.numeric() ? Integer.toString(t) : t + " " + classes.name(t));
            for (long n : e.confusion()[t]) out.printf("%6d", n);
            out.printf(Locale.ROOT, "   %s%n", Double.isNaN(perClass[t]) ? "   -" : String.format(Locale.ROOT, "%6.2f%%", 100 * perClass[t]));
        }
    }
}
