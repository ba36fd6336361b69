package lenet.engine.reference;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything one forward/backward call owns, so that the layers keep nothing in fields and one
 * model serves concurrent callers: the mode, the batch size, what each layer's forward saved for
 * its backward, the gradients backward adds into, and the new values of buffers (batch norm's
 * running statistics) that a TRAIN-mode forward computed. The model's own arrays are only read;
 * whoever owns the model decides whether to apply {@link #newBuffers()} (a training step does).
 */
final class Context {
    final Mode mode;
    /** Samples in the batch: N. */
    final int n;
    private final Map<Module, Object> saved = new IdentityHashMap<>();
    private final Map<String, double[]> grads = new LinkedHashMap<>();
    private final Map<String, double[]> newBuffers = new LinkedHashMap<>();

    Context(Mode mode, int n) {
        if (n < 1) throw new IllegalArgumentException("a batch needs at least one sample, got " + n);
        this.mode = mode;
        this.n = n;
    }

    /** Keeps what {@code layer}'s backward will need. */
    void save(Module layer, Object what) {
        saved.put(layer, what);
    }

    /** What {@code layer}'s forward saved in this call. */
    <T> T saved(Module layer, Class<T> type) {
        Object what = saved.get(layer);
        if (what == null) throw new IllegalStateException(layer.spec().name() + ": backward without a forward in this call");
        return type.cast(what);
    }

    /** The gradient of the parameter {@code name} ({@code size} values), zero until backward adds into it. */
    double[] grad(String name, int size) {
        return grads.computeIfAbsent(name, k -> new double[size]);
    }

    /** Every gradient backward wrote, by parameter name. */
    Map<String, double[]> grads() {
        return grads;
    }

    /** Records the value a buffer would take after this call (TRAIN mode's running statistics). */
    void setNewBuffer(String name, double[] value) {
        newBuffers.put(name, value);
    }

    /** The buffers this call computed new values for, by name. */
    Map<String, double[]> newBuffers() {
        return newBuffers;
    }
}
