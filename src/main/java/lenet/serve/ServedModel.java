package lenet.serve;

import java.nio.file.Path;
import lenet.data.Datasets;
import lenet.engine.reference.ReferenceEngine;
import lenet.engine.reference.ReferenceNetwork;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.train.Checkpoint;

/**
 * The model the page uses: a checkpoint read and checked, its spec, and the reference engine's
 * network over it, which traces and explains one input at a time (thread-safe: every call keeps
 * its own state).
 *
 * @param file     the checkpoint
 * @param saved    what it holds (weights, meta.json)
 * @param network  the reference engine's network of it
 * @param dataset  the data set it was trained on ({@code mnist} when the file does not say)
 */
record ServedModel(Path file, Checkpoint.Contents saved, ReferenceNetwork network, String dataset) {
    ModelSpec spec() {
        return network.spec();
    }

    Datasets.Classes classes() {
        return Datasets.classes(dataset);
    }

    /** Reads and checks {@code file}; a bad file is a {@link lenet.LenetException} with one line naming it. */
    static ServedModel load(Path file) {
        Checkpoint.Contents saved = Checkpoint.load(file);
        ModelSpec spec = specOf(saved);
        ReferenceNetwork network = new ReferenceEngine().network(spec, ModelState.of(spec, saved.weights()));
        String dataset = saved.dataset() != null && Datasets.NAMES.contains(saved.dataset()) ? saved.dataset() : Datasets.MNIST;
        return new ServedModel(file, saved, network, dataset);
    }

    /**
     * The one adapter from today's checkpoints (the nn package's activation and pooling in meta.json)
     * to a model spec; it goes when checkpoints carry their spec.
     */
    static ModelSpec specOf(Checkpoint.Contents saved) {
        return Architecture.lenet(Activation.parse(saved.activation().cliName()), Pooling.parse(saved.pooling().cliName()), Norm.NONE).spec();
    }
}
