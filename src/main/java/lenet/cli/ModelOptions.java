package lenet.cli;

import java.nio.file.Path;
import lenet.LenetException;
import lenet.nn.LeNet;
import lenet.train.Checkpoint;
import lenet.train.Predictor;
import lenet.train.RunFolder;
import picocli.CommandLine.Option;

/**
 * {@code --model}, {@code --activation} and {@code --pool}, shared by the commands that use a
 * trained network: which checkpoint (by default the newest training result under runs/), and
 * the architecture of one that does not say (a numpy.savez file has no meta.json).
 */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE", description = "Checkpoint (.npz) to use (default: the newest runs/*/last.npz).")
    Path model;

    @Option(names = "--activation", description = "Architecture of a checkpoint without meta.json (e.g. from numpy.savez): sigmoid or relu.")
    LeNet.Activation activation;

    @Option(names = "--pool", description = "Architecture of a checkpoint without meta.json: avg or max.")
    LeNet.Pooling pooling;

    /** The checkpoint file: --model, or else the newest runs/*&#47;last.npz. */
    Path file() {
        if (model != null) return model;
        return RunFolder.newestCheckpoint(Defaults.RUNS).orElseThrow(() -> new LenetException(
                "no --model given and no trained model under " + Defaults.RUNS.toAbsolutePath()
                        + "; run `lenet train` first or pass --model FILE"));
    }

    /** The network in {@code saved}, with --activation/--pool overriding what its meta.json says. */
    LeNet network(Checkpoint.Contents saved) {
        return saved.model(activation, pooling);
    }

    /** A predictor for the network in {@code saved}, with --activation/--pool overriding its meta.json; starts nothing yet. */
    Predictor predictor(Checkpoint.Contents saved) {
        return Predictor.of(saved, activation, pooling);
    }
}
