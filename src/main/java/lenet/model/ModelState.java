package lenet.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import lenet.io.NdArray;

/**
 * The numbers of a model: its parameters and buffers, keyed by PyTorch name, in the spec's order.
 * Plain arrays ({@link NdArray}), so a model can be saved, loaded and handed between engines
 * without starting any of them.
 */
public record ModelState(Map<String, NdArray> parameters, Map<String, NdArray> buffers) {
    public ModelState {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        buffers = Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
    }

    /**
     * The arrays of {@code spec} taken from {@code arrays} (a checkpoint's, or a PyTorch state_dict's),
     * each checked: present, the right shape, every value finite.
     *
     * @throws IllegalArgumentException naming the first array that is missing, misshapen or not finite
     */
    public static ModelState of(ModelSpec spec, Map<String, NdArray> arrays) {
        Map<String, NdArray> params = new LinkedHashMap<>();
        for (TensorSpec t : spec.parameters()) params.put(t.name(), checked(spec, t, arrays.get(t.name())));
        Map<String, NdArray> buffers = new LinkedHashMap<>();
        for (TensorSpec t : spec.buffers()) buffers.put(t.name(), checked(spec, t, arrays.get(t.name())));
        return new ModelState(params, buffers);
    }

    private static NdArray checked(ModelSpec spec, TensorSpec t, NdArray a) {
        if (a == null) {
            throw new IllegalArgumentException("no array '" + t.name() + "'; " + spec.title() + " needs "
                    + String.join(", ", spec.parameters().stream().map(TensorSpec::name).toList())
                    + (spec.buffers().isEmpty() ? "" : " and the buffers " + String.join(", ", spec.buffers().stream().map(TensorSpec::name).toList()))
                    + " (PyTorch state_dict names)");
        }
        if (!Arrays.equals(a.shape(), t.shape())) {
            throw new IllegalArgumentException("array '" + t.name() + "' has shape " + Arrays.toString(a.shape()) + ", "
                    + spec.title() + " needs " + Arrays.toString(t.shape()) + "; was it saved from another network?");
        }
        for (float v : a.data()) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException("array '" + t.name() + "' holds " + v + "; a usable model has finite numbers only");
        }
        return a;
    }

    /** Every array, parameters then buffers. */
    public Map<String, NdArray> all() {
        Map<String, NdArray> all = new LinkedHashMap<>(parameters);
        all.putAll(buffers);
        return all;
    }
}
