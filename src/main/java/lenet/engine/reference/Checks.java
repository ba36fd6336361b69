package lenet.engine.reference;

import java.util.Arrays;

/** The argument checks the layers share. */
final class Checks {
    private Checks() {}

    /** {@code a}, after checking it holds {@code size} values. */
    static double[] require(String name, double[] a, int size) {
        if (a == null) throw new IllegalArgumentException("no array " + name);
        if (a.length != size) throw new IllegalArgumentException(name + " holds " + a.length + " values, the layer needs " + size);
        return a;
    }

    /** Checks that {@code index} is a position in an array of shape {@code shape}. */
    static void index(String stage, int[] index, int[] shape) {
        boolean ok = index.length == shape.length;
        for (int d = 0; ok && d < shape.length; d++) ok = index[d] >= 0 && index[d] < shape[d];
        if (!ok) throw new IllegalArgumentException("no cell " + Arrays.toString(index) + " in " + stage + "'s output of shape " + Arrays.toString(shape));
    }

    /** The row-major offset of {@code index} in an array of shape {@code shape}. */
    static int offset(int[] index, int[] shape) {
        int k = 0;
        for (int d = 0; d < shape.length; d++) k = k * shape[d] + index[d];
        return k;
    }

    /** The number of values in an array of shape {@code shape}. */
    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return n;
    }
}
