package lenet.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import lenet.LenetException;
import lenet.data.Dataset;
import lenet.data.Datasets;
import lenet.engine.Engines;
import lenet.engine.Network;
import lenet.io.AtomicFiles;
import lenet.io.Json;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Outputs;
import lenet.model.Pixels;
import lenet.model.TensorSpec;
import lenet.train.Evaluation;
import lenet.train.Evaluator;

/**
 * A report on a trained model, as files a person opens: PNG pictures and one {@code report.html}
 * that shows them with the numbers, plus {@code metrics.json} with those numbers for programs.
 *
 * <pre>
 *   confusion.png      the confusion matrix as a heat map with counts (from {@link Evaluator}, as lenet eval)
 *   per-class.png      precision, recall and F1 of each digit
 *   mistakes.png       the most confidently wrong images, with true and predicted digit
 *   filters.png        conv1's kernels, enlarged
 *   feature-maps.png   one image after each convolution and pooling
 *   curves.png         the run's learning curves, when its metrics.csv is known
 *   metrics.json       accuracy, loss, count, confusion, per-class metrics, the mistakes shown
 *   report.html        all of the above; images referenced by relative name, no network needed
 * </pre>
 */
public final class Report {
    public static final String HTML = "report.html";
    public static final String CONFUSION = "confusion.png";
    public static final String PER_CLASS = "per-class.png";
    public static final String MISTAKES = "mistakes.png";
    public static final String FILTERS = "filters.png";
    public static final String FEATURE_MAPS = "feature-maps.png";
    public static final String CURVES = Curves.FILE;
    public static final String METRICS = "metrics.json";

    static final ObjectMapper JSON = Json.MAPPER;

    /**
     * What to report on.
     *
     * @param modelFile  the checkpoint, for the record
     * @param meta       its meta.json (null for a bare numpy.savez file)
     * @param dataName   how to name the data, e.g. "data/mnist (test)"
     * @param classes    what the classes are called (digits, or Fashion-MNIST's garments)
     * @param imageIndex the image whose feature maps are drawn
     * @param mistakes   how many of the most confident mistakes to show
     * @param metricsCsv the run's metrics.csv for the learning curves (null: none)
     */
    public record Input(Path modelFile, ModelSpec spec, ModelState state, JsonNode meta, Dataset data, String dataName, Datasets.Classes classes, int imageIndex, int mistakes,
                        Path metricsCsv) {}

    /**
     * What was written.
     *
     * @param curvesNote why there are no learning curves (null when curves.png was written)
     */
    public record Result(Path html, Evaluation evaluation, List<ClassMetrics> perClass, List<Mistake> mistakes, List<Path> files,
                         String curvesNote) {}

    private Report() {}

    /** Scores the model on the data and writes every file into {@code outDir} (created if missing). */
    public static Result write(Input in, Path outDir, Consumer<String> progress) {
        Dataset data = in.data();
        if (in.imageIndex() < 0 || in.imageIndex() >= data.count()) {
            throw new IllegalArgumentException("image index " + in.imageIndex() + " outside 0.." + (data.count() - 1));
        }
        int[] input = in.spec().inputShape();
        if (data.rows() != input[1] || data.cols() != input[2]) {
            throw new LenetException(in.dataName() + ": images are " + data.rows() + "x" + data.cols() + ", the network takes "
                    + input[1] + "x" + input[2] + "; pass MNIST-shaped data");
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new LenetException(outDir + ": cannot create the report folder (" + e.getMessage() + "); choose another --out");
        }

        progress.accept(String.format(Locale.ROOT, "scoring %,d images of %s", data.count(), in.dataName()));
        Scores scores = new Scores(in.mistakes(), in.imageIndex());
        Network net = Engines.forScoring(in.spec(), data.count()).network(in.spec(), in.state());
        Evaluation eval = Evaluator.evaluate(net::logits, in.spec().classes(), data, scores);
        List<ClassMetrics> perClass = ClassMetrics.of(eval.confusion());
        List<Mistake> mistakes = scores.mistakes();
        List<Path> files = new ArrayList<>();
        Map<String, Dimension> sizes = new HashMap<>();

        png(ConfusionPicture.draw(eval.confusion(), in.classes()), outDir, CONFUSION, files, sizes);
        png(PerClassChart.draw(perClass, in.classes()), outDir, PER_CLASS, files, sizes);
        png(MistakesPicture.draw(mistakes, data, eval.count() - eval.correct(), in.classes()), outDir, MISTAKES, files, sizes);

        // The first layer's kernels: the first parameter of rank 4 is its weight, the next its bias.
        List<TensorSpec> params = in.spec().parameters();
        int first = 0;
        while (params.get(first).shape().length != 4) first++;
        NdArray weight = in.state().parameters().get(params.get(first).name());
        NdArray bias = in.state().parameters().get(params.get(first + 1).name());
        String layer = params.get(first).name().substring(0, params.get(first).name().lastIndexOf('.'));
        png(FiltersPicture.draw(layer, weight.data(), bias.data(), (int) weight.shape()[3]), outDir, FILTERS, files, sizes);

        int pixels = data.pixelsPerImage();
        byte[] image = Arrays.copyOfRange(data.pixels(), in.imageIndex() * pixels, (in.imageIndex() + 1) * pixels);
        float[] x = new float[pixels];
        Pixels.scale(image, 0, x, 0, pixels);
        List<FeatureMaps.Stage> stages = FeatureMaps.compute(in.spec(), Engines.forLookingInside().network(in.spec(), in.state()).trace(x));
        float[] probabilities = scores.chosen();
        int predicted = argMax(probabilities);
        String caption = String.format(Locale.ROOT, "image #%d: %s, predicted %s (%.1f%%)", in.imageIndex(),
                in.classes().name(data.label(in.imageIndex())), in.classes().name(predicted), 100 * probabilities[predicted]);
        png(FeatureMaps.draw(stages, caption), outDir, FEATURE_MAPS, files, sizes);

        List<Curves.Row> curveRows = null;
        String curvesNote = null;
        if (in.metricsCsv() == null) {
            curvesNote = "no metrics.csv beside the model";
        } else if (!Files.isRegularFile(in.metricsCsv())) {
            curvesNote = "no " + in.metricsCsv() + " beside the model";
        } else {
            try {
                curveRows = Curves.read(in.metricsCsv());
                int planned = in.meta() == null ? 0 : in.meta().path("config").path("epochs").asInt(0);
                png(Curves.draw(curveRows, planned), outDir, CURVES, files, sizes);
            } catch (LenetException e) {
                curvesNote = e.getMessage();
                curveRows = null;
            }
        }

        ObjectNode json = metricsJson(in, eval, perClass, mistakes, stages, probabilities);
        files.add(outDir.resolve(METRICS));
        json.set("files", JSON.valueToTree(files.stream().map(p -> p.getFileName().toString()).toList()));
        AtomicFiles.write(outDir.resolve(METRICS), o -> o.write(Json.pretty(json)));

        Path html = outDir.resolve(HTML);
        String page = ReportHtml.page(new ReportHtml.Content(in, eval, perClass, mistakes, stages, predicted, probabilities[predicted],
                curveRows, curvesNote, files.stream().map(p -> p.getFileName().toString()).toList(), sizes));
        AtomicFiles.write(html, o -> o.write(page.getBytes(StandardCharsets.UTF_8)));
        files.add(html);
        return new Result(html, eval, perClass, mistakes, List.copyOf(files), curvesNote);
    }

    private static void png(BufferedImage image, Path dir, String name, List<Path> files, Map<String, Dimension> sizes) {
        Path p = dir.resolve(name);
        Png.write(image, p);
        files.add(p);
        sizes.put(name, new Dimension(image.getWidth(), image.getHeight()));
    }

    static int argMax(float[] v) {
        return Outputs.argMax(v);
    }

    private static ObjectNode metricsJson(Input in, Evaluation eval, List<ClassMetrics> perClass, List<Mistake> mistakes,
                                          List<FeatureMaps.Stage> stages, float[] probabilities) {
        ObjectNode m = JSON.createObjectNode();
        m.put("model", in.modelFile().toString());
        m.put("data", in.dataName());
        m.put("count", eval.count());
        m.put("correct", eval.correct());
        m.put("accuracy", eval.accuracy());
        m.put("loss", eval.loss());
        m.set("confusion", JSON.valueToTree(eval.confusion()));
        ArrayNode classes = m.putArray("per_class");
        for (ClassMetrics c : perClass) {
            ObjectNode n = classes.addObject();
            n.put("digit", c.digit());
            n.put("name", in.classes().name(c.digit()));
            n.put("support", c.support());
            n.put("predicted", c.predicted());
            number(n, "precision", c.precision());
            number(n, "recall", c.recall());
            number(n, "f1", c.f1());
        }
        ObjectNode macro = m.putObject("macro_average");
        number(macro, "precision", ClassMetrics.macro(perClass, ClassMetrics::precision));
        number(macro, "recall", ClassMetrics.macro(perClass, ClassMetrics::recall));
        number(macro, "f1", ClassMetrics.macro(perClass, ClassMetrics::f1));
        m.put("mistakes_total", eval.count() - eval.correct());
        ArrayNode shown = m.putArray("mistakes_shown");
        for (Mistake x : mistakes) {
            shown.addObject().put("index", x.index()).put("label", x.label()).put("predicted", x.predicted()).put("confidence", x.confidence());
        }
        ObjectNode fm = m.putObject("feature_maps");
        fm.put("image_index", in.imageIndex());
        fm.put("label", in.data().label(in.imageIndex()));
        fm.put("predicted", argMax(probabilities));
        ArrayNode p = fm.putArray("probabilities");
        for (float v : probabilities) p.add(v);
        ArrayNode st = fm.putArray("stages");
        for (FeatureMaps.Stage s : stages) {
            ObjectNode n = st.addObject();
            n.put("name", s.name());
            n.putArray("shape").add(s.channels()).add(s.size()).add(s.size());
            n.put("receptive_field", s.receptiveField());
            n.put("min", s.min());
            n.put("max", s.max());
        }
        return m;
    }

    /** JSON has no NaN: a ratio with nothing to divide by is null. */
    private static void number(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) n.put(key, v);
        else n.putNull(key);
    }

    /** Collects, from the evaluator's probabilities, the most confident mistakes and one image's probabilities. */
    private static final class Scores implements Evaluator.PredictionSink {
        private static final Comparator<Mistake> MOST_CONFIDENT_FIRST =
                Comparator.comparingDouble(Mistake::confidence).reversed().thenComparingInt(Mistake::index);
        private final int keep;
        private final int chosenIndex;
        private final PriorityQueue<Mistake> worst; // the least confident of those kept on top
        private float[] chosen;

        Scores(int keep, int chosenIndex) {
            this.keep = keep;
            this.chosenIndex = chosenIndex;
            this.worst = new PriorityQueue<>(MOST_CONFIDENT_FIRST.reversed());
        }

        @Override
        public void accept(int first, int[] labels, float[][] probabilities) {
            for (int i = 0; i < labels.length; i++) {
                if (first + i == chosenIndex) chosen = probabilities[i].clone();
                int predicted = argMax(probabilities[i]);
                if (predicted == labels[i] || keep == 0) continue;
                worst.add(new Mistake(first + i, labels[i], predicted, probabilities[i][predicted]));
                if (worst.size() > keep) worst.poll();
            }
        }

        List<Mistake> mistakes() {
            List<Mistake> out = new ArrayList<>(worst);
            out.sort(MOST_CONFIDENT_FIRST);
            return out;
        }

        float[] chosen() {
            return chosen;
        }
    }
}
