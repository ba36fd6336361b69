package lenet.engine.nd4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lenet.model.TensorSpec;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * All of a model's parameters in one contiguous value array and one contiguous gradient array,
 * each parameter a view into both, in the spec's order.
 *
 * <p>Why: LeNet has ten small parameter arrays (61,706 numbers in all). An optimizer step over them
 * one by one is about sixty native calls, each costing more to dispatch than its arithmetic; over
 * the two flat arrays it is six, and zeroing the gradients is one (see {@link FlatSgd}).
 */
final class ParamBlock {
    /**
     * Each parameter starts on a 64-byte boundary, as a separately allocated array would. Native
     * kernels may take a different path (and round differently) for data that is not aligned, and
     * the same run must give the same numbers wherever the allocator put the block.
     */
    private static final int ALIGN_BYTES = 64;

    private final INDArray values, grads;
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final Map<String, INDArray> valueViews = new LinkedHashMap<>(), gradViews = new LinkedHashMap<>();

    /** Zero-filled parameters of {@code type} with the names and shapes of {@code params}, laid out in that order. */
    ParamBlock(List<TensorSpec> params, DataType type) {
        long total = 0;
        for (TensorSpec t : params) total += padded(t.size());
        values = aligned(type, total);
        grads = aligned(type, total);
        long offset = 0;
        for (TensorSpec t : params) {
            shapes.put(t.name(), t.shape());
            offsets.put(t.name(), offset);
            valueViews.put(t.name(), view(values, offset, t.size(), t.shape()));
            gradViews.put(t.name(), view(grads, offset, t.size(), t.shape()));
            offset += padded(t.size());
        }
    }

    /** The names, in layout order. */
    List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(shapes.keySet()));
    }

    /** Parameter {@code name}, a view into {@link #values()}. */
    INDArray value(String name) {
        return require(valueViews, name);
    }

    /** Its gradient, a view into {@link #grads()}. */
    INDArray grad(String name) {
        return require(gradViews, name);
    }

    /** Every parameter value, one after another (each starting on a 64-byte boundary, zeros between). Writing it writes the parameters. */
    INDArray values() {
        return values;
    }

    /** Every gradient, in the same layout as {@link #values()}. */
    INDArray grads() {
        return grads;
    }

    /** Views of {@code flat} (an array laid out as {@link #values()}, e.g. optimizer state), one per parameter, by name. */
    Map<String, INDArray> split(INDArray flat) {
        if (flat.length() != values.length()) throw new IllegalArgumentException("expected " + values.length() + " elements, got " + flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] shape = e.getValue();
            views.put(e.getKey(), view(flat, offsets.get(e.getKey()), size(shape), shape));
        }
        return views;
    }

    private static INDArray require(Map<String, INDArray> views, String name) {
        INDArray a = views.get(name);
        if (a == null) throw new IllegalArgumentException("no parameter " + name + " in " + views.keySet());
        return a;
    }

    private static long padded(long n) {
        long per = ALIGN_BYTES / Float.BYTES; // a multiple of 64 bytes for float and double alike
        return (n + per - 1) / per * per;
    }

    /** A zero-filled 1-D array of {@code n} elements whose first element sits on a 64-byte boundary. */
    private static INDArray aligned(DataType type, long n) {
        int width = type.width();
        INDArray raw = Nd4j.zeros(type, n + ALIGN_BYTES / width);
        long misalignment = raw.data().address() % ALIGN_BYTES;
        long lead = misalignment == 0 ? 0 : (ALIGN_BYTES - misalignment) / width;
        return raw.get(NDArrayIndex.interval(lead, lead + n));
    }

    private static INDArray view(INDArray flat, long offset, long n, long[] shape) {
        return flat.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
