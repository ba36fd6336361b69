package lenet.engine;

import java.util.List;
import lenet.model.ModelSpec;

/**
 * One sample's way through a network: the input, then the output of every layer of the spec in
 * order (the last one the logits). Values are row-major in the stage's shape.
 *
 * @param input  the sample as given, shape {@code spec.inputShape()}
 * @param stages one per layer of the spec
 */
public record Trace(float[] input, List<StageOutput> stages) {
    /** A layer's output: the spec's stage (name, layer, shape) and its values. */
    public record StageOutput(ModelSpec.Stage stage, float[] values) {
        public String name() {
            return stage.name();
        }

        public int[] shape() {
            return stage.outputShape();
        }
    }

    /** The stage named {@code name}. */
    public StageOutput stage(String name) {
        for (StageOutput s : stages) if (s.name().equals(name)) return s;
        throw new IllegalArgumentException("no stage " + name);
    }

    /** The last stage's values. */
    public float[] logits() {
        return stages.get(stages.size() - 1).values();
    }
}
