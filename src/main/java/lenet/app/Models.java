package lenet.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import lenet.LenetException;
import lenet.data.Datasets;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Pooling;
import lenet.train.Checkpoint;
import lenet.train.Runs;

/**
 * Which trained model a command uses, and the model read: {@code --model}, or else the newest run
 * under the runs folder whose status is {@code finished}, passing over the newer ones that diverged,
 * stayed at chance, were interrupted or are still training.
 */
public final class Models {
    private Models() {}

    /**
     * A model read from its checkpoint.
     *
     * @param passedOver newer runs not taken because they did not finish well (empty when --model was given)
     */
    public record Loaded(Path file, Checkpoint.Contents contents, ModelSpec spec, ModelState state, List<Runs.Run> passedOver) {
        public Architecture architecture() {
            return spec.architecture();
        }

        /** The data set the model was trained on, or null when the file does not say. */
        public String dataset() {
            return contents.dataset();
        }

        /**
         * Where the model's training data are: the folder its run was trained from when that still
         * holds the files, else {@code fallback} (the default data folder); null for a model not
         * trained on MNIST (a Fashion-MNIST model, or a file that does not say, gets no familiarity check).
         */
        public java.nio.file.Path trainingData(java.nio.file.Path fallback) {
            String d = dataset();
            if (d != null && !d.equals(lenet.data.Datasets.MNIST)) return null;
            if (contents.meta() != null) {
                String own = contents.meta().path("config").path("data_dir").asText(null);
                if (own != null && java.nio.file.Files.isDirectory(java.nio.file.Path.of(own))) return java.nio.file.Path.of(own);
            }
            return fallback;
        }

        /**
         * {@code lenet predict}'s reader of this model, as predict and serve both use it: judging
         * familiarity (read from the cache, or fitted on the MNIST files in {@code mnistDir} or the
         * model's own data folder, {@code beforeFitting} first; none without them) and, for a
         * model of the ten digits, each digit's loops.
         */
        public lenet.train.Predictor predictor(Path mnistDir, Runnable beforeFitting) {
            lenet.train.Predictor p = new lenet.train.Predictor(spec, state);
            Path data = trainingData(mnistDir);
            if (data != null) p.judgeFamiliarity(file, data, beforeFitting);
            if (classes().numeric()) p.judgeDigitShapes();
            return p;
        }

        /** What the classes of the model's data set are called (the digits when it does not say). */
        public Datasets.Classes classes() {
            return Datasets.classes(dataset());
        }

        /** The test accuracy saved with it, NaN when unknown. */
        public double testAccuracy() {
            return contents.testAccuracy();
        }

        /** {@code runs/X/last.npz: LeNet-5 (sigmoid, avg pool) trained on mnist, test accuracy 99.10%}. */
        public String describe() {
            if (contents.meta() == null) return file + ": " + spec.title() + ", weights only (no meta.json), test accuracy unknown";
            String acc = Double.isNaN(testAccuracy()) ? "test accuracy unknown" : String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * testAccuracy());
            return file + ": " + spec.title() + " trained on " + (dataset() == null ? "an unnamed data set" : dataset()) + ", " + acc;
        }

        /** {@code passed over 1 newer run that did not finish well: X (diverged)}, or null when none was. */
        public String passedOverNote() {
            if (passedOver.isEmpty()) return null;
            return "passed over " + passedOver.size() + " newer run" + (passedOver.size() == 1 ? "" : "s") + " that did not finish well: "
                    + String.join(", ", passedOver.stream().map(r -> r.name() + " (" + (r.status() == null ? "unreadable" : r.status().jsonName()) + ")").toList());
        }
    }

    /**
     * Reads {@code explicit}, or the newest finished run's last.npz under {@code runsRoot}.
     * {@code activation} and {@code pooling} (null: as the file says) name the network of a file
     * without meta.json (a numpy.savez of a PyTorch state_dict), and override the one in meta.json.
     */
    public static Loaded load(Path explicit, Activation activation, Pooling pooling, Path runsRoot) {
        Path file = explicit;
        List<Runs.Run> passed = List.of();
        if (file == null) {
            Runs.Choice choice = Runs.newestUsable(runsRoot).orElseThrow(() -> new LenetException(noModel(runsRoot)));
            file = choice.model();
            passed = choice.passedOver();
        }
        Checkpoint.Contents contents = Checkpoint.load(file);
        ModelSpec spec = contents.architecture(activation, pooling).spec();
        return new Loaded(file, contents, spec, contents.state(spec), passed);
    }

    private static String noModel(Path runsRoot) {
        List<Runs.Run> runs = Runs.list(runsRoot);
        String where = runsRoot.toAbsolutePath().normalize().toString();
        if (runs.isEmpty()) return "no {model} given and no trained model under " + where + "; run `{command} train` first or pass {model} FILE";
        return "no {model} given and none of the " + runs.size() + " runs under " + where
                + " finished well (see `{command} runs`); train one with `{command} train` or pass {model} FILE";
    }

    /**
     * The data set to use with a model: {@code explicit} when given, with a warning (to {@code warn})
     * when the model was trained on another one; otherwise the model's own (MNIST when it does not say).
     */
    public static String dataset(String explicit, Loaded model, java.util.function.Consumer<String> warn) {
        String own = model.dataset();
        if (explicit == null) return own != null && Datasets.NAMES.contains(own) ? own : Datasets.MNIST;
        if (own != null && !own.equals(explicit)) {
            warn.accept(model.file() + " was trained on " + own + ", not " + explicit + "; its answers on " + explicit
                    + " mean little (leave out {dataset} to use " + own + ")");
        }
        return explicit;
    }
}
