package lenet.engine.nd4j;

import java.util.ArrayList;
import java.util.List;
import lenet.engine.Network;
import lenet.engine.Trace;
import lenet.model.ModelSpec;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model on the ND4J engine in eval mode. Its arrays are only read, and every call has its own
 * {@link Tape} and its own workspace (workspaces belong to a thread), so one network serves any
 * number of threads at once.
 */
final class Nd4jNetwork implements Network {
    /** Samples per forward pass in {@link #logits}, as the evaluator has always scored: bounds a call's memory. */
    static final int CHUNK = 1000;

    private final Model model;

    Nd4jNetwork(Model model) {
        this.model = model;
    }

    @Override
    public ModelSpec spec() {
        return model.spec;
    }

    @Override
    public float[] logits(float[] input, int n) {
        int size = model.spec.inputSize(), classes = model.spec.classes();
        if (n < 1 || input.length != (long) n * size) {
            throw new IllegalArgumentException(input.length + " input values for " + n + " samples of " + size);
        }
        float[] logits = new float[n * classes];
        for (int from = 0; from < n; from += CHUNK) {
            int count = Math.min(CHUNK, n - from);
            try (MemoryWorkspace ws = Arena.open("LOGITS")) {
                INDArray x = Arena.batch(input, from, count, model.spec.inputShape()).castTo(model.type);
                INDArray z = model.forward(Tape.inference(count), x);
                System.arraycopy(Arena.floats(z), 0, logits, from * classes, count * classes);
            }
        }
        return logits;
    }

    @Override
    public Trace trace(float[] input) {
        if (input.length != model.spec.inputSize()) {
            throw new IllegalArgumentException("one sample has " + model.spec.inputSize() + " values, not " + input.length);
        }
        List<ModelSpec.Stage> stages = model.spec.stages();
        List<Trace.StageOutput> out = new ArrayList<>();
        try (MemoryWorkspace ws = Arena.open("TRACE")) {
            Tape tape = Tape.inference(1);
            INDArray x = Arena.batch(input, 0, 1, model.spec.inputShape()).castTo(model.type);
            for (int k = 0; k < stages.size(); k++) {
                x = model.layers.get(k).forward(tape, x);
                out.add(new Trace.StageOutput(stages.get(k), Arena.floats(x))); // copied now: the next layer may write over x
            }
        }
        return new Trace(input.clone(), List.copyOf(out));
    }
}
