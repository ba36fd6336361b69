package lenet.serve;

import java.util.ArrayList;
import java.util.List;
import lenet.engine.Trace;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.ModelSpec;
import lenet.model.Pooling;

/** A model's stages as the page shows them: names, kinds, shapes and, for one input, values. */
final class Stages {
    private Stages() {}

    /**
     * One layer of the spec.
     *
     * @param name      the layer's name ({@code conv1}, {@code act1}, ...)
     * @param kind      {@code conv}, {@code max_pool}, {@code avg_pool}, {@code sigmoid}, {@code relu},
     *                  {@code flatten}, {@code dense} or {@code batch_norm}
     * @param layer     its description, e.g. {@code Conv2d(1->6, 5x5, pad 2)}
     * @param shape     its output for one sample
     * @param explained true for the layers whose cells the arithmetic panel explains (conv, pooling, dense)
     */
    record Stage(String name, String kind, String layer, int[] shape, boolean explained) {}

    /** A stage with its values for one input. */
    record Traced(String name, String kind, String layer, int[] shape, boolean explained, float[] values) {}

    static List<Stage> of(ModelSpec spec) {
        List<Stage> out = new ArrayList<>();
        for (ModelSpec.Stage s : spec.stages()) {
            String kind = s.layer().accept(KIND);
            boolean explained = kind.equals("conv") || kind.endsWith("_pool") || kind.equals("dense");
            out.add(new Stage(s.name(), kind, s.layer().describe(), s.outputShape(), explained));
        }
        return out;
    }

    static List<Traced> of(ModelSpec spec, Trace trace) {
        List<Stage> stages = of(spec);
        List<Traced> out = new ArrayList<>();
        for (int k = 0; k < stages.size(); k++) {
            Stage s = stages.get(k);
            out.add(new Traced(s.name(), s.kind(), s.layer(), s.shape(), s.explained(), trace.stages().get(k).values()));
        }
        return out;
    }

    /** The kind of each layer, by the spec's visitor (every kind of layer must have a name here). */
    private static final LayerSpec.Visitor<String> KIND = new LayerSpec.Visitor<>() {
        @Override
        public String conv2d(LayerSpec.Conv2d layer) {
            return "conv";
        }

        @Override
        public String pool2d(LayerSpec.Pool2d layer) {
            return layer.kind() == Pooling.MAX ? "max_pool" : "avg_pool";
        }

        @Override
        public String act(LayerSpec.Act layer) {
            return layer.kind() == Activation.SIGMOID ? "sigmoid" : "relu";
        }

        @Override
        public String flatten(LayerSpec.Flatten layer) {
            return "flatten";
        }

        @Override
        public String linear(LayerSpec.Linear layer) {
            return "dense";
        }

        @Override
        public String batchNorm(LayerSpec.BatchNorm layer) {
            return "batch_norm";
        }
    };
}
