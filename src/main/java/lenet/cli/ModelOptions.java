package lenet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import lenet.app.Models;
import lenet.model.Activation;
import lenet.model.Pooling;
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
    Activation activation;

    @Option(names = "--pool", paramLabel = "POOL", converter = Choices.PoolingConverter.class, completionCandidates = Choices.Poolings.class,
            description = "Architecture of a checkpoint without meta.json: ${COMPLETION-CANDIDATES}.")
    Pooling pooling;

    /**
     * Chooses and reads the checkpoint (see {@link Models#load}) and says on stderr which one, with
     * a note naming the newer runs passed over (both unless {@code quiet}).
     */
    Models.Loaded load(PrintWriter err, boolean quiet) {
        return load(err, quiet, Defaults.runs());
    }

    /** The same, with the newest finished run looked for under {@code runsRoot}. */
    Models.Loaded load(PrintWriter err, boolean quiet, Path runsRoot) {
        Models.Loaded loaded = Models.load(model, activation, pooling, runsRoot);
        if (!quiet) {
            if (loaded.passedOverNote() != null) err.println("note: " + loaded.passedOverNote());
            err.println("model " + loaded.describe());
            err.flush();
        }
        return loaded;
    }

    /** The data set to use with {@code model}: --dataset when given (with a warning when it is not the model's), else the model's. */
    static String dataset(String explicit, Models.Loaded model, PrintWriter err) {
        return Models.dataset(explicit, model, line -> {
            err.println("warning: " + Flags.render(line));
            err.flush();
        });
    }
}
