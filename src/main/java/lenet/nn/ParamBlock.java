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

    /** Zero-filled float32 parameters with the given names and shapes, laid out in that order. */
    public ParamBlock(Map<String, long[]> shapes) {
        this(shapes, DataType.FLOAT);
    }

    /** The same in {@code type} (double for gradient checks). */
    public ParamBlock(Map<String, long[]> shapes, DataType type) {
        long total = 0;
        for (long[] shape : shapes.values()) total += size(shape);
        this.values = Nd4j.zeros(type, total);
        this.grads = Nd4j.zeros(type, total);
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = size(e.getValue());
            params.put(e.getKey(), new Param(e.getKey(), view(values, offset, n, e.getValue()), view(grads, offset, n, e.getValue())));
            offset += n;
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

    /** Every parameter value, one after another: [total]. Writing it writes the parameters. */
    public INDArray values() {
        return values;
    }

    /** Every gradient, in the same layout as {@link #values()}. */
    public INDArray grads() {
        return grads;
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
