package lenet.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * All of a network's parameters in one contiguous value array and one contiguous gradient array,
 * each {@link Param} a view into both, in the order given.
 *
 * <p>Why: LeNet has ten small parameter arrays (61,706 numbers in all). An optimizer step over them
 * one by one is about sixty native calls, each costing more to dispatch than its arithmetic; over
 * the two flat arrays it is six, and zeroing the gradients is one (see {@code optim.Sgd}).
 */
public final class ParamBlock {
    private final INDArray values;
    private final INDArray grads;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, Long> offsets = new LinkedHashMap<>();

    /** Zero-filled float32 parameters with the given names and shapes, laid out in that order. */
    public ParamBlock(Map<String, long[]> shapes) {
        this(shapes, DataType.FLOAT);
    }

    /** The same in {@code type} (double for gradient checks). */
    public ParamBlock(Map<String, long[]> shapes, DataType type) {
        long total = 0;
        for (long[] shape : shapes.values()) total += padded(size(shape));
        this.values = aligned(type, total);
        this.grads = aligned(type, total);
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = size(e.getValue());
            params.put(e.getKey(), new Param(e.getKey(), view(values, offset, n, e.getValue()), view(grads, offset, n, e.getValue())));
            offsets.put(e.getKey(), offset);
            offset += padded(n);
        }
    }

    /** The parameter {@code name}, whose value and gradient are views into this block. */
    public Param param(String name) {
        Param p = params.get(name);
        if (p == null) throw new IllegalArgumentException("no parameter " + name + " in " + params.keySet());
        return p;
    }

    /** Every parameter, in layout order. */
    public List<Param> params() {
        return Collections.unmodifiableList(new ArrayList<>(params.values()));
    }

    /**
     * Views of {@code flat} (an array like {@link #values()}, e.g. optimizer state) laid out as the
     * parameters are: one per parameter, in order, each with its parameter's shape.
     */
    public List<INDArray> split(INDArray flat) {
        if (flat.length() != values.length()) throw new IllegalArgumentException("expected " + values.length() + " elements, got " + flat.length());
        List<INDArray> views = new ArrayList<>();
        for (Param p : params.values()) views.add(view(flat, offsets.get(p.name()), p.value().length(), p.shape()));
        return views;
    }

    /** Every parameter value, one after another (each starting on a 64-byte boundary, zeros between). Writing it writes the parameters. */
    public INDArray values() {
        return values;
    }

    /** Every gradient, in the same layout as {@link #values()}. */
    public INDArray grads() {
        return grads;
    }

    /**
     * Each parameter starts on a 64-byte boundary, as a separately allocated array would. Native
     * kernels may take a different path (and round differently) for data that is not aligned, and
     * the same run must give the same numbers wherever the allocator put the block.
     */
    private static final int ALIGN_BYTES = 64;

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
        return raw.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(lead, lead + n));
    }

    private static INDArray view(INDArray flat, long offset, long n, long[] shape) {
        return flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
    }

    private static long size(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
