package lenet.engine.reference;

import java.util.ArrayList;
import java.util.List;
import lenet.engine.Network;
import lenet.engine.Trace;
import lenet.model.ModelSpec;

/**
 * A model on the reference engine in eval mode: logits, the trace of every stage, and the
 * arithmetic behind any one number of a conv, pooling or dense stage ({@link #explain}). Its arrays
 * are never written after construction and every call has its own {@link Context}, so one
 * network serves any number of threads at once.
 */
public final class ReferenceNetwork implements Network {
    /** Samples per forward pass in {@link #logits}: bounds the memory of a large n, and eval mode treats samples independently. */
    private static final int CHUNK = 64;

    private final Model model;

    ReferenceNetwork(Model model) {
        this.model = model;
    }

    @Override
    public ModelSpec spec() {
        return model.spec;
    }

    @Override
    public float[] logits(float[] input, int n) {
        int size = model.inputSize(), classes = model.spec.classes();
        if (n < 1 || input.length != (long) n * size) {
            throw new IllegalArgumentException(input.length + " input values for " + n + " samples of " + size);
        }
        float[] logits = new float[n * classes];
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            double[] x = new double[count * size];
            for (int i = 0; i < x.length; i++) x[i] = input[from * size + i];
            double[] z = model.logits(new Context(Mode.EVAL, count), x);
            for (int i = 0; i < z.length; i++) logits[from * classes + i] = (float) z[i];
        }
        return logits;
    }

    @Override
    public Trace trace(float[] input) {
        double[][] outputs = model.forward(new Context(Mode.EVAL, 1), oneSample(input));
        List<ModelSpec.Stage> stages = model.spec.stages();
        List<Trace.StageOutput> out = new ArrayList<>();
        for (int k = 0; k < stages.size(); k++) out.add(new Trace.StageOutput(stages.get(k), Model.toFloat(outputs[k])));
        return new Trace(input.clone(), List.copyOf(out));
    }

    /**
     * How stage {@code stage} computed its output at {@code index} for this one sample: a conv cell
     * {@code (channel, row, col)} as an {@link Explanation.ConvCell}, a pooling cell as a
     * {@link Explanation.MaxPoolCell} or {@link Explanation.AvgPoolCell}, a dense unit {@code (unit)}
     * as an {@link Explanation.DenseUnit}; each followed by the batch norm and activation after it.
     * The numbers are those of {@link #trace}: {@code (float) value()} is the stage's traced value
     * at {@code index}, and {@code (float) finalValue()} that of the last step's stage.
     *
     * @throws IllegalArgumentException when there is no such stage or cell, or the stage is not a
     *                                  conv, pooling or dense layer
     */
    public Explanation explain(float[] input, String stage, int... index) {
        int k = stageIndex(stage);
        if (!(model.layers.get(k) instanceof Explainable layer)) {
            throw new IllegalArgumentException("stage " + stage + " (" + model.spec.layers().get(k).describe()
                    + ") is not a conv, pooling or dense layer; those are the ones explained");
        }
        double[] x = oneSample(input);
        // The layer's input, computed by the forward pass every other call runs.
        double[] in = k == 0 ? x : model.forward(new Context(Mode.EVAL, 1), x)[k - 1];
        String inputStage = k == 0 ? "input" : model.spec.layers().get(k - 1).name();
        return layer.explain(in, index, inputStage, (feature, value) -> after(k, feature, value));
    }

    /** The elementwise layers right after layer k (batch norm, activation), applied in turn to {@code value}. */
    private List<Explanation.Step> after(int k, int feature, double value) {
        List<Explanation.Step> steps = new ArrayList<>();
        for (int j = k + 1; j < model.layers.size() && model.layers.get(j) instanceof Elementwise e; j++) {
            Explanation.Step step = e.apply(feature, value);
            steps.add(step);
            value = step.output();
        }
        return List.copyOf(steps);
    }

    private int stageIndex(String stage) {
        for (int k = 0; k < model.layers.size(); k++) if (model.spec.layers().get(k).name().equals(stage)) return k;
        throw new IllegalArgumentException("no stage " + stage + " in " + model.spec.title());
    }

    private double[] oneSample(float[] input) {
        if (input.length != model.inputSize()) {
            throw new IllegalArgumentException("one sample has " + model.inputSize() + " values, not " + input.length);
        }
        return Model.toDouble(input);
    }
}
