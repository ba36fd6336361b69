package lenet.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import lenet.data.Dataset;
import lenet.data.Datasets;
import lenet.engine.Engines;
import lenet.engine.Network;
import lenet.io.AtomicFiles;
import lenet.model.Outputs;
import lenet.train.Evaluation;
import lenet.train.Evaluator;

/** Scores a model on a labelled data set, on the engine {@link Engines} chooses for that many images. */
public final class Scoring {
    private Scoring() {}

    /**
     * Loss, accuracy and the confusion matrix of {@code model} on {@code data}; with
     * {@code predictionsCsv}, also one CSV row per image (index, label, predicted class, with the two
     * class names when they are not digits, and the probabilities); {@code progress} (null: none)
     * hears of each batch.
     */
    public static Evaluation score(Models.Loaded model, Dataset data, Datasets.Classes classes, Path predictionsCsv,
                                   Evaluator.PredictionSink progress) {
        Network net = Engines.forScoring(model.spec(), data.count()).network(model.spec(), model.state());
        StringBuilder csv = predictionsCsv == null ? null : new StringBuilder(csvHeader(classes, model.spec().classes()));
        Evaluator.PredictionSink rows = csv == null ? null : (first, labels, probs) -> {
            for (int i = 0; i < labels.length; i++) csv.append(csvRow(first + i, labels[i], probs[i], classes));
        };
        Evaluation e = Evaluator.evaluate(net::logits, model.spec().classes(), data, both(rows, progress));
        if (csv != null) AtomicFiles.write(predictionsCsv, o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        return e;
    }

    static String csvHeader(Datasets.Classes classes, int k) {
        StringBuilder h = new StringBuilder("index,label,predicted,").append(classes.numeric() ? "" : "label_name,predicted_name,");
        for (int c = 0; c < k; c++) h.append(c == 0 ? "" : ",").append('p').append(c);
        return h.append('\n').toString();
    }

    static String csvRow(int index, int label, float[] p, Datasets.Classes classes) {
        int best = Outputs.argMax(p);
        StringBuilder row = new StringBuilder().append(index).append(',').append(label).append(',').append(best);
        if (!classes.numeric()) row.append(',').append(csvText(classes.name(label))).append(',').append(csvText(classes.name(best)));
        for (float v : p) row.append(',').append(String.format(Locale.ROOT, "%.6g", v));
        return row.append('\n').toString();
    }

    /** A CSV cell: quoted when it holds a comma or a quote ("T-shirt/top" needs neither, but a name could). */
    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static Evaluator.PredictionSink both(Evaluator.PredictionSink a, Evaluator.PredictionSink b) {
        if (a == null) return b;
        if (b == null) return a;
        return (first, labels, probs) -> {
            a.accept(first, labels, probs);
            b.accept(first, labels, probs);
        };
    }
}
