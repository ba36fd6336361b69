package lenet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import lenet.LenetException;
import lenet.data.Datasets;
import lenet.nn.LeNet;
import lenet.train.Checkpoint;
import lenet.train.Predictor;
import lenet.train.Runs;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --activation} and {@code --pool}, shared by the commands that use a
 * trained network: which checkpoint (by default the newest finished run under runs/), and the
 * architecture of one that does not say (a numpy.savez file has no meta.json). Loading says on
 * stderr which file is used and how well it scored when it was trained.
 */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE",
            description = "Checkpoint (.npz) to use (default: the newest finished run's runs/*/last.npz, passing over runs that diverged, stayed at chance or did not finish).")
    Path model;

    @Option(names = "--activation", paramLabel = "ACTIVATION", converter = Choices.ActivationConverter.class, completionCandidates = Choices.Activations.class,
            description = "Architecture of a checkpoint without meta.json (e.g. from numpy.savez): ${COMPLETION-CANDIDATES}.")
    LeNet.Activation activation;

    @Option(names = "--pool", paramLabel = "POOL", converter = Choices.PoolingConverter.class, completionCandidates = Choices.Poolings.class,
            description = "Architecture of a checkpoint without meta.json: ${COMPLETION-CANDIDATES}.")
    LeNet.Pooling pooling;

    /** A checkpoint chosen and read. */
    record Loaded(Path file, Checkpoint.Contents contents) {
        /** The data set the model was trained on, or null when the file does not say. */
        String dataset() {
            return contents.dataset();
        }

        /** {@code runs/X/last.npz: LeNet-5 (sigmoid, avg pool) trained on mnist, test accuracy 99.10%}. */
        String describe() {
            Checkpoint.Contents c = contents;
            if (c.meta() == null) return file + ": weights only (no meta.json), test accuracy unknown";
            String acc = Double.isNaN(c.testAccuracy()) ? "test accuracy unknown" : String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * c.testAccuracy());
            return String.format(Locale.ROOT, "%s: LeNet-5 (%s, %s pool) trained on %s, %s", file, c.activation().cliName(), c.pooling().cliName(),
                    c.dataset() == null ? "an unnamed data set" : c.dataset(), acc);
        }
    }

    /**
     * Chooses and reads the checkpoint: --model, or else the newest finished run under runs/ (with a
     * note naming the newer runs passed over). Says which on stderr unless {@code quiet}.
     */
    Loaded load(PrintWriter err, boolean quiet) {
        Path file = model;
        if (file == null) {
            Runs.Choice choice = Runs.newestUsable(Defaults.runs()).orElseThrow(() -> new LenetException(noModel()));
            file = choice.model();
            if (!choice.passedOver().isEmpty() && !quiet) {
                err.println("note: passed over " + choice.passedOver().size() + " newer run" + (choice.passedOver().size() == 1 ? "" : "s")
                        + " that did not finish well: " + choice.passedOver().stream()
                                .map(r -> r.name() + " (" + (r.status() == null ? "unreadable" : r.status().jsonName()) + ")")
                                .collect(Collectors.joining(", ")));
            }
        }
        Loaded loaded = new Loaded(file, Checkpoint.load(file));
        if (!quiet) {
            err.println("model " + loaded.describe());
            err.flush();
        }
        return loaded;
    }

    private static String noModel() {
        var runs = Runs.list(Defaults.runs());
        String where = Defaults.runs().toAbsolutePath().normalize().toString();
        if (runs.isEmpty()) {
            return "no --model given and no trained model under " + where + "; run `" + Invocation.command() + " train` first or pass --model FILE";
        }
        return "no --model given and none of the " + runs.size() + " runs under " + where
                + " finished well (see `" + Invocation.command() + " runs`); train one with `" + Invocation.command() + " train` or pass --model FILE";
    }

    /** The network in {@code saved}, with --activation/--pool overriding what its meta.json says. */
    LeNet network(Checkpoint.Contents saved) {
        return saved.model(activation, pooling);
    }

    /** A predictor for the network in {@code saved}, with --activation/--pool overriding its meta.json; starts nothing yet. */
    Predictor predictor(Checkpoint.Contents saved) {
        return Predictor.of(saved, activation, pooling);
    }

    /**
     * The data set to use with a model: {@code explicit} (--dataset) when given, with a warning when
     * the model was trained on another one; otherwise the model's own (MNIST when it does not say).
     */
    static String dataset(String explicit, Loaded model, PrintWriter err) {
        String own = model.dataset();
        if (explicit == null) return own != null && Datasets.NAMES.contains(own) ? own : Datasets.MNIST;
        if (own != null && !own.equals(explicit)) {
            err.println("warning: " + model.file() + " was trained on " + own + ", not " + explicit + "; its answers on " + explicit
                    + " mean little (leave out --dataset to use " + own + ")");
            err.flush();
        }
        return explicit;
    }
}
