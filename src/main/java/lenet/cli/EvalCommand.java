package lenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import lenet.data.Dataset;
import lenet.io.AtomicFiles;
import lenet.nn.LeNet;
import lenet.train.Checkpoint;
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
        description = "Score a checkpoint on a labelled data set: loss, accuracy, per-class accuracy, confusion matrix.")
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    GlobalOptions global;

    @Mixin
    ModelOptions models;

    @Option(names = "--dataset", defaultValue = "mnist", description = "mnist or fashion-mnist (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR", description = "Folder with the IDX files (default: data/<dataset>).")
    Path dataDir;

    @Option(names = "--split", defaultValue = "test", description = "test or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--images", paramLabel = "FILE", description = "Score this IDX image file (with --labels) instead of a data set split.")
    Path images;

    @Option(names = "--labels", paramLabel = "FILE", description = "IDX label file for --images.")
    Path labels;

    @Option(names = "--predictions", paramLabel = "FILE.csv", description = "Write one row per image: index, label, predicted digit, the ten probabilities.")
    Path predictions;

    @Option(names = "--threads", description = "Threads for the native kernels.")
    Integer threads;

    @Option(names = "--json", description = "Print the result as one JSON object (accuracy, loss, count, per_class, confusion).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if ((images == null) != (labels == null)) throw new ParameterException(cl, "--images and --labels go together");
        if (!split.equals("test") && !split.equals("train")) throw new ParameterException(cl, "--split must be test or train, was '" + split + "'");
        if (!dataset.equals("mnist") && !dataset.equals("fashion-mnist")) {
            throw new ParameterException(cl, "--dataset must be mnist or fashion-mnist, was '" + dataset + "'");
        }
        Threads.apply(threads, cl);
        Path modelFile = models.file();
        LeNet net = models.network(Checkpoint.load(modelFile));
        Dataset data;
        String source;
        if (images != null) {
            data = Dataset.load(images, labels);
            source = images.toString();
        } else {
            Path dir = dataDir != null ? dataDir : Defaults.dataDir(dataset);
            data = Dataset.loadSplit(dir, split);
            source = dir + " (" + split + ")";
        }

        StringBuilder csv = predictions == null ? null : new StringBuilder("index,label,predicted,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9\n");
        Evaluator.PredictionSink csvSink = csv == null ? null : (first, lbl, probs) -> {
            for (int i = 0; i < lbl.length; i++) {
                int best = 0;
                for (int k = 1; k < probs[i].length; k++) if (probs[i][k] > probs[i][best]) best = k;
                csv.append(first + i).append(',').append(lbl[i]).append(',').append(best);
                for (float p : probs[i]) csv.append(',').append(String.format(Locale.ROOT, "%.6g", p));
                csv.append('\n');
            }
        };
        boolean showProgress = !json && !GlobalOptions.isQuiet(cl) && Terminal.stderrIsTerminal();
        ProgressBar bar = showProgress ? new ProgressBar(cl.getErr(), Terminal.columns(), System::nanoTime) : null;
        Evaluator.PredictionSink sink = bar == null ? csvSink : both(csvSink, progress(bar, data.count()));
        Evaluation e;
        try {
            e = Evaluator.evaluate(net, data, sink);
        } finally {
            if (bar != null) bar.clear();
        }
        if (csv != null) AtomicFiles.write(predictions, o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));

        PrintWriter out = cl.getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", modelFile.toString());
            m.put("data", source);
            m.put("accuracy", e.accuracy());
            m.put("loss", e.loss());
            m.put("count", e.count());
            m.put("per_class", e.perClassAccuracy());
            m.put("confusion", e.confusion());
            out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            printTable(out, modelFile, source, e);
        }
        out.flush();
        return 0;
    }

    /** Draws the bar after each batch: images scored, images a second, running accuracy, time left. */
    private static Evaluator.PredictionSink progress(ProgressBar bar, int total) {
        long start = System.nanoTime();
        long[] correct = {0};
        return (first, labels, probs) -> {
            for (int i = 0; i < labels.length; i++) {
                int best = 0;
                for (int k = 1; k < probs[i].length; k++) if (probs[i][k] > probs[i][best]) best = k;
                if (best == labels[i]) correct[0]++;
            }
            int done = first + labels.length;
            double rate = done / ((System.nanoTime() - start) / 1e9);
            bar.update("scoring", done, total, String.format(Locale.ROOT, "%s %s img/s acc %6.2f%% %s left", ProgressBar.count(done, total),
                    ProgressBar.rate(rate), 100.0 * correct[0] / done, ProgressBar.duration((total - done) / rate)));
        };
    }

    private static Evaluator.PredictionSink both(Evaluator.PredictionSink a, Evaluator.PredictionSink b) {
        if (a == null) return b;
        return (first, labels, probs) -> {
            a.accept(first, labels, probs);
            b.accept(first, labels, probs);
        };
    }

    private static void printTable(PrintWriter out, Path modelFile, String source, Evaluation e) {
        out.printf(Locale.ROOT, "model     %s%n", modelFile);
        out.printf(Locale.ROOT, "data      %s, %d images%n", source, e.count());
        out.printf(Locale.ROOT, "loss      %.4f%n", e.loss());
        out.printf(Locale.ROOT, "accuracy  %.2f%% (%d of %d)%n%n", 100 * e.accuracy(), e.correct(), e.count());
        double[] perClass = e.perClassAccuracy();
        out.println("true digit (rows) against predicted digit (columns):");
        out.print("       ");
        for (int p = 0; p < perClass.length; p++) out.printf("%6d", p);
        out.println("   accuracy");
        for (int t = 0; t < perClass.length; t++) {
            out.printf("  %d  | ", t);
            for (long n : e.confusion()[t]) out.printf("%6d", n);
            out.printf(Locale.ROOT, "   %s%n", Double.isNaN(perClass[t]) ? "   -" : String.format(Locale.ROOT, "%6.2f%%", 100 * perClass[t]));
        }
    }
}
