package lenet.engine.reference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.TensorSpec;

/**
 * Training on the reference engine: forward in train mode, softmax cross-entropy, backward, then
 * SGD as {@link Sgd} documents, all in double. After each step the parameters, the velocities and
 * the running statistics are rounded to float, the precision a checkpoint keeps, so a run resumed
 * from a checkpoint continues exactly as one that never stopped.
 */
final class ReferenceTrainable implements Trainable {
    private final Model model;
    private final Sgd sgd;
    private final Map<String, double[]> velocity = new LinkedHashMap<>(); // by parameter name

    ReferenceTrainable(Model model, Sgd sgd, Map<String, NdArray> optimizerState) {
        this.model = model;
        this.sgd = sgd;
        for (TensorSpec t : model.spec.parameters()) {
            String key = Sgd.STATE_PREFIX + t.name();
            NdArray saved = optimizerState.get(key);
            if (saved != null && !Arrays.equals(saved.shape(), t.shape())) {
                throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + Arrays.toString(saved.shape())
                        + ", the parameter has " + Arrays.toString(t.shape()) + "; was it saved from another network?");
            }
            velocity.put(t.name(), saved == null ? new double[t.size()] : Model.toDouble(saved.data()));
        }
        for (String key : optimizerState.keySet()) {
            if (!key.startsWith(Sgd.STATE_PREFIX) || !velocity.containsKey(key.substring(Sgd.STATE_PREFIX.length()))) {
                throw new IllegalArgumentException("optimizer state '" + key + "' belongs to no parameter of " + model.spec.title());
            }
        }
    }

    @Override
    public ModelSpec spec() {
        return model.spec;
    }

    @Override
    public StepResult step(float[] input, int[] labels, int n, double lr) {
        if (input.length != (long) n * model.inputSize()) {
            throw new IllegalArgumentException(input.length + " input values for " + n + " samples of " + model.inputSize());
        }
        Context ctx = new Context(Mode.TRAIN, n);
        double[] logits = model.logits(ctx, Model.toDouble(input));
        SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.forward(logits, labels, n, model.spec.classes());
        model.backward(ctx, SoftmaxCrossEntropy.backward(loss));
        update(ctx, lr);
        for (Map.Entry<String, double[]> e : ctx.newBuffers().entrySet()) {
            double[] buffer = model.arrays.get(e.getKey());
            for (int i = 0; i < buffer.length; i++) buffer[i] = (float) e.getValue()[i];
        }
        return new StepResult(loss.value(), correct(logits, labels, model.spec.classes()));
    }

    /**
     * For each parameter p with gradient g and velocity v, elementwise (see {@link Sgd}):
     * g = g + weightDecay * p;  v = momentum * v + g;  p = p - lr * v; then p and v are rounded to float.
     */
    private void update(Context ctx, double lr) {
        for (String name : model.parameterNames()) {
            double[] p = model.arrays.get(name), v = velocity.get(name);
            double[] g = ctx.grad(name, p.length); // zeros for a parameter the loss does not reach
            for (int i = 0; i < p.length; i++) {
                double gi = g[i] + sgd.weightDecay() * p[i];
                v[i] = (float) (sgd.momentum() * v[i] + gi);
                p[i] = (float) (p[i] - lr * v[i]);
            }
        }
    }

    /** How many rows of logits [N, K] have their largest value (the first, on ties) at the label. */
    private static int correct(double[] logits, int[] labels, int classes) {
        int correct = 0;
        for (int s = 0; s < labels.length; s++) {
            int best = 0;
            for (int k = 1; k < classes; k++) if (logits[s * classes + k] > logits[s * classes + best]) best = k;
            if (best == labels[s]) correct++;
        }
        return correct;
    }

    @Override
    public float[] logits(float[] input, int n) {
        return new ReferenceNetwork(model).logits(input, n);
    }

    @Override
    public ModelState state() {
        return model.state();
    }

    @Override
    public Map<String, NdArray> optimizerState() {
        Map<String, NdArray> state = new LinkedHashMap<>();
        for (TensorSpec t : model.spec.parameters()) {
            state.put(Sgd.STATE_PREFIX + t.name(), new NdArray(t.shape(), Model.toFloat(velocity.get(t.name()))));
        }
        return state;
    }
}
