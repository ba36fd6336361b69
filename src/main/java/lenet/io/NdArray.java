package lenet.io;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A float32 array in C (row-major) order, as stored in a {@code .npy} file: the exchange type of
 * {@code lenet.io}, independent of any array library.
 *
 * <p>{@code shape} is copied; {@code data} is not (it may be hundreds of megabytes), so callers should
 * not change it after handing it over. Unlike a plain record, {@code equals}, {@code hashCode} and
 * {@code toString} look at the contents of both arrays.
 *
 * @param shape the dimensions, {@code []} for a scalar; none negative
 * @param data  the values, {@code product(shape)} of them
 */
public record NdArray(long[] shape, float[] data) {
    public NdArray {
        shape = shape.clone();
        long size = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            }
            size = Math.multiplyExact(size, dim);
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " holds " + size
                    + " values but data has " + data.length);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NdArray that
                && Arrays.equals(shape, that.shape)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    /** The shape and at most the first eight values, e.g. {@code NdArray(2, 3)[0.0, 1.0, ...6 values]}. */
    @Override
    public String toString() {
        StringJoiner values = new StringJoiner(", ", "[", "]");
        int shown = Math.min(data.length, 8);
        for (int i = 0; i < shown; i++) {
            values.add(Float.toString(data[i]));
        }
        if (shown < data.length) {
            values.add("..." + data.length + " values");
        }
        return "NdArray" + shapeString(shape) + values;
    }

    /** The shape as Python writes a tuple: {@code ()}, {@code (10,)}, {@code (6, 1, 5, 5)}. */
    static String shapeString(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner dims = new StringJoiner(", ", "(", ")");
        for (long dim : shape) {
            dims.add(Long.toString(dim));
        }
        return dims.toString();
    }
}
