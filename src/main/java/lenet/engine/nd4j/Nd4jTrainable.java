package lenet.engine.nd4j;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lenet.engine.Sgd;
import lenet.engine.Trainable;
import lenet.io.NdArray;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.TensorSpec;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training on the ND4J engine, in float32: one step is forward in train mode, softmax cross-entropy,
 * backward and a {@link FlatSgd} update, all inside one workspace; batch norm's new running
 * statistics are then written into the model. Not for concurrent use.
 */
final class Nd4jTrainable implements Trainable {
    private final Model model;
    private final FlatSgd sgd;

    /** @param model built without the input gradient ({@link Layers#build}): nobody reads it when training */
    Nd4jTrainable(Model model, Sgd sgd, Map<String, NdArray> optimizerState) {
        this.model = model;
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.sgd = new FlatSgd(model.params, sgd);
            for (TensorSpec t : model.spec.parameters()) {
                String key = Sgd.STATE_PREFIX + t.name();
                NdArray saved = optimizerState.get(key);
                if (saved == null) continue; // a velocity not saved starts at zero, as PyTorch's
                if (!Arrays.equals(saved.shape(), t.shape())) {
                    throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + Arrays.toString(saved.shape())
                            + ", the parameter has " + Arrays.toString(t.shape()) + "; was it saved from another network?");
                }
                this.sgd.velocity(t.name()).assign(Model.array(saved, model.type));
            }
        }
        List<String> names = model.params.names();
        for (String key : optimizerState.keySet()) {
            if (!key.startsWith(Sgd.STATE_PREFIX) || !names.contains(key.substring(Sgd.STATE_PREFIX.length()))) {
                throw new IllegalArgumentException("optimizer state '" + key + "' belongs to no parameter of " + model.spec.title());
            }
        }
    }

    @Override
    public ModelSpec spec() {
        return model.spec;
    }

    /**
     * The step the trainer has always run: the batch copied into the workspace, forward, loss and
     * accuracy, zeroed gradients, backward, SGD. When the loss is not finite the step stops there and
     * changes nothing (the caller reports the divergence; the model keeps its last good numbers).
     */
    @Override
    public StepResult step(float[] input, int[] labels, int n, double lr) {
        checkBatch(input, labels, n);
        try (MemoryWorkspace ws = Arena.open("TRAIN")) {
            Tape tape = new Tape(Mode.TRAIN, n, model.params::grad);
            INDArray x = Arena.batch(input, 0, n, model.spec.inputShape());
            SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.forward(model.forward(tape, x), labels);
            int correct = SoftmaxCrossEntropy.correct(loss, labels);
            if (!Double.isFinite(loss.value())) return new StepResult(loss.value(), correct);
            sgd.zeroGrad();
            model.backward(tape, SoftmaxCrossEntropy.backward(loss));
            sgd.step(lr);
            model.applyNewBuffers(tape);
            return new StepResult(loss.value(), correct);
        }
    }

    private void checkBatch(float[] input, int[] labels, int n) {
        int size = model.spec.inputSize(), classes = model.spec.classes();
        if (n < 1 || input.length != (long) n * size) throw new IllegalArgumentException(input.length + " input values for " + n + " samples of " + size);
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for " + n + " samples");
        for (int s = 0; s < n; s++) {
            if (labels[s] < 0 || labels[s] >= classes) throw new IllegalArgumentException("label " + labels[s] + " of sample " + s + " is not a class 0.." + (classes - 1));
        }
    }

    @Override
    public float[] logits(float[] input, int n) {
        return new Nd4jNetwork(model).logits(input, n);
    }

    @Override
    public ModelState state() {
        return model.state();
    }

    @Override
    public Map<String, NdArray> optimizerState() {
        Map<String, NdArray> state = new LinkedHashMap<>();
        for (TensorSpec t : model.spec.parameters()) {
            state.put(Sgd.STATE_PREFIX + t.name(), new NdArray(t.shape(), Arena.floats(sgd.velocity(t.name()))));
        }
        return state;
    }

    /**
     * Median milliseconds of each layer's forward and backward, of the loss and of the SGD step, over
     * {@code reps} training steps on this batch (lr 0.01), timed as {@code lenet bench} has always
     * timed them: each layer's result summed to make sure it is done. The model, its velocities and
     * buffers are put back afterwards, so profiling changes nothing.
     */
    @Override
    public Map<String, double[]> profile(float[] input, int[] labels, int n, int reps) {
        checkBatch(input, labels, n);
        if (reps < 1) throw new IllegalArgumentException("profiling needs at least one step, got " + reps);
        List<Module> layers = model.layers;
        int L = layers.size();
        double[][] fwd = new double[L + 2][reps], bwd = new double[L + 2][reps];
        INDArray values, velocities;
        Map<String, INDArray> buffers = new LinkedHashMap<>();
        try (MemoryWorkspace outside = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            values = model.params.values().dup();
            velocities = sgd.velocities().dup();
            model.buffers.forEach((name, b) -> buffers.put(name, b.dup()));
        }
        for (int r = 0; r < reps; r++) {
            try (MemoryWorkspace ws = Arena.open("PROFILE")) {
                Tape tape = new Tape(Mode.TRAIN, n, model.params::grad);
                INDArray x = Arena.batch(input, 0, n, model.spec.inputShape());
                for (int i = 0; i < L; i++) {
                    long t = System.nanoTime();
                    x = layers.get(i).forward(tape, x);
                    x.sumNumber();
                    fwd[i][r] = (System.nanoTime() - t) / 1e6;
                }
                long t = System.nanoTime();
                SoftmaxCrossEntropy.Loss loss = SoftmaxCrossEntropy.forward(x, labels);
                INDArray d = SoftmaxCrossEntropy.backward(loss);
                d.sumNumber();
                fwd[L][r] = (System.nanoTime() - t) / 1e6;
                sgd.zeroGrad();
                for (int i = L - 1; i >= 0 && d != null; i--) {
                    t = System.nanoTime();
                    d = layers.get(i).backward(tape, d);
                    if (d != null) d.sumNumber();
                    bwd[i][r] = (System.nanoTime() - t) / 1e6;
                }
                t = System.nanoTime();
                sgd.step(0.01);
                model.params.values().sumNumber();
                bwd[L + 1][r] = (System.nanoTime() - t) / 1e6;
                model.applyNewBuffers(tape);
            }
        }
        model.params.values().assign(values);
        sgd.velocities().assign(velocities);
        buffers.forEach((name, b) -> model.buffers.get(name).assign(b));
        Map<String, double[]> table = new LinkedHashMap<>();
        for (int i = 0; i < L; i++) table.put((i + 1) + " " + layers.get(i).spec().describe(), new double[] {median(fwd[i]), median(bwd[i])});
        table.put("loss (softmax cross-entropy)", new double[] {median(fwd[L]), 0});
        table.put("sgd step", new double[] {0, median(bwd[L + 1])});
        return table;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
