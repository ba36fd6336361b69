package lenet.engine.nd4j;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything one forward/backward call owns, so that the layers keep nothing in fields and one
 * model serves concurrent callers: the mode, the batch size, what each layer's forward kept for its
 * backward, where backward adds the parameter gradients, and the new values of buffers (batch
 * norm's running statistics) that a TRAIN-mode forward computed. The model's own arrays are only
 * read; whoever owns the model decides whether to apply {@link #newBuffers()} (a training step does).
 */
final class Tape {
    final Mode mode;
    /** Samples in the batch: N. */
    final int n;
    private final Function<String, INDArray> gradients;
    private final Map<Module, Object> saved = new IdentityHashMap<>();
    private final Map<String, INDArray> newBuffers = new LinkedHashMap<>();

    /** @param gradients the array each parameter's gradient is added into, by name; null for a forward-only call */
    Tape(Mode mode, int n, Function<String, INDArray> gradients) {
        if (n < 1) throw new IllegalArgumentException("a batch needs at least one sample, got " + n);
        this.mode = mode;
        this.n = n;
        this.gradients = gradients;
    }

    /** A forward-only call in eval mode (a network answering a request). */
    static Tape inference(int n) {
        return new Tape(Mode.EVAL, n, null);
    }

    /** Keeps what {@code layer}'s backward will need. */
    void save(Module layer, Object what) {
        saved.put(layer, what);
    }

    /** What {@code layer}'s forward kept in this call. */
    <T> T saved(Module layer, Class<T> type) {
        Object what = saved.get(layer);
        if (what == null) throw new IllegalStateException(layer.spec().name() + ": backward without a forward on this tape");
        return type.cast(what);
    }

    /** The array the gradient of parameter {@code name} is added into. */
    INDArray grad(String name) {
        if (gradients == null) throw new IllegalStateException("this call computes no gradients (forward only)");
        return gradients.apply(name);
    }

    /** Records the value a buffer takes after this call (TRAIN mode's running statistics). */
    void setNewBuffer(String name, INDArray value) {
        newBuffers.put(name, value);
    }

    /** The buffers this call computed new values for, by name. */
    Map<String, INDArray> newBuffers() {
        return newBuffers;
    }
}
