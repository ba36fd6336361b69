package lenet.cli;

import java.nio.file.Path;
import lenet.LenetException;
import lenet.train.RunFolder;

/** Resolves {@code --model}: the given file, or else the newest training result under runs/. */
final class ModelOption {
    private ModelOption() {}

    static Path resolve(Path model) {
        if (model != null) return model;
        return RunFolder.newestCheckpoint(Defaults.RUNS).orElseThrow(() -> new LenetException(
                "no --model given and no trained model under " + Defaults.RUNS.toAbsolutePath()
                        + "; run `lenet train` first or pass --model FILE"));
    }
}
