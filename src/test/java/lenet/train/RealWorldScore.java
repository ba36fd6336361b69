package lenet.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import lenet.data.Dataset;
import lenet.image.Page;
import lenet.image.Preprocessing;

/**
 * Scores a checkpoint on the stand-in real-world sets of {@code src/test/resources/realworld}
 * (made by {@code lenet.image.RealWorldSets}) and checks the first 200 MNIST test images as PNG
 * against the evaluator: the figures in the README. Run after {@code mvn -q -DskipTests
 * test-compile package} with
 *
 * <pre>
 *   java -cp "target/classes:target/test-classes:target/lib/*" lenet.train.RealWorldScore MODEL.npz [--all | --held-apart | --set DIR] [--mnist N] [--no-deskew] [--no-thin] [--no-thicken] [--no-split] [--single] [--no-familiarity] [--no-loops] [--contrast X] [-v]
 * </pre>
 */
public final class RealWorldScore {
    private RealWorldScore() {}

    /** The sets tuned on (the first round's three and the second round's harder two). */
    static final String[] TUNING = {"multi", "photos", "nondigits", "touching", "lookalikes", "singles/fonts", "singles/handwriting", "singles/thin-pen"};
    /** The sets held apart: other seeds, fonts, MNIST digits and scenes; never tuned on. */
    static final String[] HELD_APART = {"heldout/multi", "heldout/photos", "heldout/nondigits", "heldout/singles/fonts", "heldout/singles/handwriting", "heldout/singles/thin-pen"};

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        boolean deskew = true, thin = true, thicken = true, single = false, split = true, verbose = false, familiar = true, shapes = true;
        float contrast = Page.Options.DEFAULT_CONTRAST;
        List<String> sets = new ArrayList<>(List.of(TUNING));
        int mnist = 200;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--no-deskew" -> deskew = false;
                case "--no-thin" -> thin = false;
                case "--no-thicken" -> thicken = false;
                case "--single" -> single = true;
                case "--no-split" -> split = false;
                case "--held-apart" -> sets = List.of(HELD_APART);
                case "--all" -> {
                    sets = new ArrayList<>(List.of(TUNING));
                    sets.addAll(List.of(HELD_APART));
                }
                case "--set" -> sets = List.of(args[++i]);
                case "--mnist" -> mnist = Integer.parseInt(args[++i]);
                case "-v" -> verbose = true;
                case "--no-familiarity" -> familiar = false;
                case "--no-loops" -> shapes = false;
                case "--contrast" -> contrast = Float.parseFloat(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Page.Options options = new Page.Options(Preprocessing.Invert.AUTO, contrast, deskew, thin, thicken, single, split);
        Checkpoint.Contents saved = Checkpoint.load(model);
        lenet.model.ModelSpec spec = saved.architecture().spec();
        Predictor predictor = new Predictor(spec, saved.state(spec));
        if (shapes) predictor.judgeDigitShapes();
        if (familiar) {
            Familiarity f = predictor.judgeFamiliarity(model, Path.of(saved.meta().path("config").path("data_dir").asText("data/mnist")), () -> {});
            System.out.println("familiarity: " + (f == null ? "no data set" : "limit " + Math.round(f.limit())));
        }
        System.out.println("model " + model + ", options " + options);
        Path root = Path.of("src/test/resources/realworld");
        for (String set : sets) score(predictor, options, root.resolve(set), verbose);
        if (!single && mnist > 0) mnist(predictor, saved, mnist);
    }

    private static void score(Predictor predictor, Page.Options options, Path dir, boolean verbose) throws IOException {
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        Map<String, int[]> byScene = new TreeMap<>(); // right, total, unsure, unsure-and-wrong
        int[] all = new int[6]; // right, total, unsure, unsure among wrong, right among sure, sure
        List<String> wrong = new ArrayList<>();
        predictor.predictFiles(files, options, f -> Page.Trace.NONE, r -> {
            String name = r.file().getFileName().toString();
            String truth = name.substring(name.lastIndexOf('-') + 1, name.lastIndexOf('.'));
            if (truth.equals("none")) truth = "";
            String scene = name.substring(4, name.lastIndexOf('-'));
            if (scene.startsWith("letter")) scene = "letter-" + scene.split("-")[1];
            String read = r.ok() ? r.text() : "";
            boolean unsure = !r.ok() || r.unsure() != null;
            boolean right = read.equals(truth);
            int[] c = byScene.computeIfAbsent(scene, k -> new int[4]);
            c[1]++;
            all[1]++;
            if (right) {
                c[0]++;
                all[0]++;
            }
            if (unsure) {
                c[2]++;
                all[2]++;
                if (!right) all[3]++;
            } else {
                all[5]++;
                if (right) all[4]++;
            }
            if (!right || verbose) {
                wrong.add(String.format("  %-40s read %-6s %s%s", name, read, unsure ? "unsure: " : "",
                        r.ok() ? (r.unsure() == null ? "" : r.unsure()) : r.error().replace(r.file().toString() + ": ", "")));
            }
        });
        boolean nondigits = dir.getFileName().toString().equals("nondigits") || dir.getFileName().toString().equals("lookalikes");
        System.out.println();
        if (nondigits) {
            System.out.printf(Locale.ROOT, "%s: %d files, answered unsure or no digit: %d (%.1f%%); a confident digit: %d%n",
                    dir, all[1], all[2], 100.0 * all[2] / all[1], all[1] - all[2]);
        } else {
            System.out.printf(Locale.ROOT, "%s: %d files, read exactly: %d (%.1f%%); unsure: %d (of them wrong: %d); among the sure answers %d of %d right (%.1f%%)%n",
                    dir, all[1], all[0], 100.0 * all[0] / all[1], all[2], all[3], all[4], all[5], all[5] == 0 ? 0 : 100.0 * all[4] / all[5]);
        }
        for (Map.Entry<String, int[]> e : byScene.entrySet()) {
            int[] c = e.getValue();
            System.out.printf(Locale.ROOT, "    %-22s %3d/%-3d %s, unsure %d%n", e.getKey(), nondigits ? c[2] : c[0], c[1], nondigits ? "unsure/none" : "right", c[2]);
        }
        wrong.forEach(System.out::println);
    }

    /** The first n MNIST test images as PNG: predict must give exactly the evaluator's digits (and its probabilities to 1e-5). */
    private static void mnist(Predictor predictor, Checkpoint.Contents saved, int n) throws IOException {
        Path dir = Path.of("data/mnist");
        if (!Files.isDirectory(dir)) return;
        Dataset data = Dataset.loadSplit(dir, "test").limit(n);
        lenet.model.ModelSpec spec = saved.architecture().spec();
        float[][] evaluated = new float[n][];
        Evaluator.evaluate(lenet.engine.Engines.forScoring(spec, n).network(spec, saved.state(spec))::logits, spec.classes(), data, (first, labels, probabilities) -> {
            for (int i = 0; i < labels.length; i++) evaluated[first + i] = probabilities[i];
        });
        Path tmp = Files.createTempDirectory("mnist-png");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(data.pixels(), i * 784, (i + 1) * 784));
            Path f = tmp.resolve(String.format("%05d.png", i));
            ImageIO.write(img, "png", f.toFile());
            files.add(f);
        }
        int[] same = {0, 0, 0, 0};
        float[] worst = {0};
        predictor.predictFiles(files, Page.Options.defaults(), f -> Page.Trace.NONE, r -> {
            int i = Integer.parseInt(r.file().getFileName().toString().substring(0, 5));
            Reading.DigitAnswer a = r.digits().get(0);
            int best = Reading.top(evaluated[i], 1)[0];
            if (a.digit() == best) same[0]++;
            if (a.unsure() != null) same[1]++;
            if (a.digit() == data.label(i)) same[2]++;
            else if (a.unsure() != null) same[3]++;
            for (int k = 0; k < 10; k++) worst[0] = Math.max(worst[0], Math.abs(a.probabilities()[k] - evaluated[i][k]));
        });
        System.out.printf(Locale.ROOT, "%nMNIST test images 0-%d as PNG: %d of %d give the evaluator's digit (largest probability difference %.1e); %d right; %d unsure (%.2f%%): %d of the %d right, %d of the %d wrong%n",
                n - 1, same[0], n, worst[0], same[2], same[1], 100.0 * same[1] / n, same[1] - same[3], same[2], same[3], n - same[2]);
        for (Path f : files) Files.delete(f);
        Files.delete(tmp);
    }
}
