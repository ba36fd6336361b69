package lenet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import lenet.io.Json;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import lenet.train.Checkpoint;

/** Untrained LeNets for tests: the spec's own initialisation from a seed, saved as checkpoints. */
public final class TestModels {
    private TestModels() {}

    public static Architecture architecture(Activation activation, Pooling pooling) {
        return Architecture.lenet(activation, pooling, Norm.NONE);
    }

    /** A LeNet with Xavier-uniform weights (gain 1) drawn from {@code seed}. */
    public static ModelState random(Activation activation, Pooling pooling, long seed) {
        return architecture(activation, pooling).spec().initialState(new Random(seed), 1.0);
    }

    /** Saves a random LeNet with {@code meta} (may be empty) as a checkpoint, no optimizer state. */
    public static void save(Path file, Activation activation, Pooling pooling, long seed, ObjectNode meta) throws IOException {
        Checkpoint.save(file, random(activation, pooling, seed).all(), Map.of(), meta == null ? Json.MAPPER.createObjectNode() : meta);
    }

    /** Saves {@code state} with {@code meta} (may be null: empty) as a checkpoint, no optimizer state. */
    public static void save(Path file, ModelState state, ObjectNode meta) throws IOException {
        Checkpoint.save(file, state.all(), Map.of(), meta == null ? Json.MAPPER.createObjectNode() : meta);
    }
}
