package lenet.serve;

import java.nio.file.Path;
import lenet.app.Models;
import lenet.data.Datasets;
import lenet.engine.Engines;
import lenet.engine.reference.ReferenceNetwork;
import lenet.model.ModelSpec;
import lenet.train.Predictor;

/**
 * The model the page uses: read as every command reads one ({@link Models#load}), the
 * {@link Predictor} that reads images as {@code lenet predict} does, and the network that traces
 * and explains one input ({@link Engines#forLookingInside}). All three are shared by concurrent
 * requests: the weights are read-only and every call keeps its own state.
 *
 * @param loaded    the checkpoint read and checked, with its spec and weights
 * @param predictor predict's classifier over it
 * @param network   the looking-inside engine's network of it
 */
record ServedModel(Models.Loaded loaded, Predictor predictor, ReferenceNetwork network) {
    /**
     * The model, its predictor judging familiarity and a digit's loops as {@code lenet predict} does
     * (familiarity fitted or read from the cache, with the MNIST files {@code dataDir} names: none
     * without them).
     */
    static ServedModel of(Models.Loaded loaded, java.util.function.Function<String, Path> dataDir) {
        return new ServedModel(loaded, loaded.predictor(dataDir.apply(Datasets.MNIST), () -> {}), Engines.forLookingInside().network(loaded.spec(), loaded.state()));
    }

    /** A run's checkpoint chosen on the page; a bad file is a {@link lenet.LenetException} with one line naming it. */
    static ServedModel load(Path file, Path runs, java.util.function.Function<String, Path> dataDir) {
        return of(Models.load(file, null, null, runs), dataDir);
    }

    Path file() {
        return loaded.file();
    }

    ModelSpec spec() {
        return loaded.spec();
    }

    /** The data set it was trained on ({@code mnist} when the file does not say), as {@code lenet eval} takes it. */
    String dataset() {
        return Models.dataset(null, loaded, warning -> {});
    }

    Datasets.Classes classes() {
        return Datasets.classes(dataset());
    }
}
