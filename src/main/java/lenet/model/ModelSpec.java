package lenet.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import lenet.io.NdArray;

/**
 * A network as data: its layers in order, the input they take and the classes they score. The
 * rest of lenet asks the spec for parameter and buffer names and shapes and for the stages a
 * trace shows; only the spec's builder ({@link LeNet}) names layers.
 *
 * @param architecture the choices it was built from (saved in checkpoints; {@link Architecture#spec()} rebuilds it)
 * @param inputShape   one sample's input, [C, H, W]
 * @param classes      the length of the output (logits)
 * @param layers       applied in order; the last one's output is the logits
 */
public record ModelSpec(Architecture architecture, int[] inputShape, int classes, List<LayerSpec> layers) {
    public ModelSpec {
        inputShape = inputShape.clone();
        layers = List.copyOf(layers);
        int[] out = inputShape;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (LayerSpec l : layers) {
            if (!names.add(l.name())) throw new IllegalArgumentException("two layers named " + l.name());
            out = l.outputShape(out);
        }
        if (out.length != 1 || out[0] != classes) {
            throw new IllegalArgumentException("the last layer gives " + java.util.Arrays.toString(out) + ", not [" + classes + "]");
        }
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Values in one sample's input: C*H*W. */
    public int inputSize() {
        int n = 1;
        for (int d : inputShape) n *= d;
        return n;
    }

    /** One stage of a forward pass: a layer and the shape of its output for one sample. */
    public record Stage(int index, LayerSpec layer, int[] outputShape) {
        public String name() {
            return layer.name();
        }

        /** Values in the stage's output for one sample. */
        public int size() {
            int n = 1;
            for (int d : outputShape) n *= d;
            return n;
        }
    }

    /** Every layer with the shape of its output, in order (the last is the logits). */
    public List<Stage> stages() {
        List<Stage> stages = new ArrayList<>();
        int[] shape = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            shape = layers.get(i).outputShape(shape);
            stages.add(new Stage(i, layers.get(i), shape));
        }
        return Collections.unmodifiableList(stages);
    }

    /** The trained arrays of every layer, in layer order (PyTorch's state_dict order). */
    public List<TensorSpec> parameters() {
        List<TensorSpec> all = new ArrayList<>();
        for (LayerSpec l : layers) all.addAll(l.parameters());
        return Collections.unmodifiableList(all);
    }

    /** The saved state that is not trained, in layer order (empty for a network without batch norm). */
    public List<TensorSpec> buffers() {
        List<TensorSpec> all = new ArrayList<>();
        for (LayerSpec l : layers) all.addAll(l.buffers());
        return Collections.unmodifiableList(all);
    }

    /** How many numbers are trained. */
    public long parameterCount() {
        long n = 0;
        for (TensorSpec t : parameters()) n += t.size();
        return n;
    }

    /**
     * A new, untrained model: the Xavier-filled weights drawn from {@code rng} in parameter order,
     * the others filled with 0 or 1. The bound is times {@code gain} for the weights of layers whose
     * output goes through an activation ({@link #activated}); Glorot and Bengio's x4 is for a
     * sigmoid's input, and the output layer's logits go through the softmax instead, so it keeps the
     * plain bound. (With x4 on the output layer too, a sigmoid LeNet's first loss is near 3 and one
     * epoch of 20,000 MNIST images at lr 0.5 blew up: 9.6%; with the plain bound there: 91.9%.)
     */
    public ModelState initialState(Random rng, double gain) {
        Map<String, NdArray> params = new LinkedHashMap<>();
        for (LayerSpec l : layers) {
            double g = activated(l) ? gain : 1.0;
            for (TensorSpec t : l.parameters()) params.put(t.name(), new NdArray(t.shape(), fill(t, rng, g)));
        }
        Map<String, NdArray> buffers = new LinkedHashMap<>();
        for (TensorSpec t : buffers()) buffers.put(t.name(), new NdArray(t.shape(), fill(t, rng, gain)));
        return new ModelState(params, buffers);
    }

    /** True when an activation comes after {@code layer} before the next layer with weights (a batch norm between does not count). */
    public boolean activated(LayerSpec layer) {
        int i = layers.indexOf(layer);
        for (int k = i + 1; k < layers.size(); k++) {
            LayerSpec next = layers.get(k);
            if (next instanceof LayerSpec.Act) return true;
            if (!next.parameters().isEmpty() && !(next instanceof LayerSpec.BatchNorm)) return false;
        }
        return false;
    }

    private static float[] fill(TensorSpec t, Random rng, double gain) {
        return switch (t.fill()) {
            case XAVIER -> Init.xavierUniform(rng, gain, t.shape());
            case ZEROS -> new float[t.size()];
            case ONES -> {
                float[] a = new float[t.size()];
                java.util.Arrays.fill(a, 1f);
                yield a;
            }
        };
    }

    /** {@code LeNet-5 (sigmoid, avg pool)}, with {@code , batch norm} when it has it. */
    public String title() {
        return architecture.title();
    }
}
