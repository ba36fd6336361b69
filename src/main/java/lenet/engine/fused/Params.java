package lenet.engine.fused;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LeNet's ten parameter arrays (or anything laid out like them: momentum, gradients), float32 in
 * PyTorch's names and layouts, flat and row-major.
 */
final class Params {
    static final List<String> NAMES = List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
    static final List<int[]> SHAPES = List.of(new int[] {6, 1, 5, 5}, new int[] {6}, new int[] {16, 6, 5, 5}, new int[] {16},
            new int[] {120, 400}, new int[] {120}, new int[] {84, 120}, new int[] {84}, new int[] {10, 84}, new int[] {10});

    /** All ten, in {@link #NAMES} order; the fields below are the same arrays. */
    final float[][] arrays = new float[NAMES.size()][];
    final float[] w1, b1, w2, b2, w3, b3, w4, b4, w5, b5;

    /** Zeros. */
    Params() {
        for (int i = 0; i < arrays.length; i++) arrays[i] = new float[size(i)];
        w1 = arrays[0]; b1 = arrays[1]; w2 = arrays[2]; b2 = arrays[3]; w3 = arrays[4];
        b3 = arrays[5]; w4 = arrays[6]; b4 = arrays[7]; w5 = arrays[8]; b5 = arrays[9];
    }

    static int size(int index) {
        int n = 1;
        for (int d : SHAPES.get(index)) n *= d;
        return n;
    }

    /**
     * Copies of {@code given}'s arrays; a name missing from it stays zero when {@code missingIsZero},
     * else is an error. Every array present must have its parameter's number of elements.
     */
    static Params copyOf(Map<String, float[]> given, String what, boolean missingIsZero) {
        Params p = new Params();
        if (given == null) {
            if (missingIsZero) return p;
            throw new IllegalArgumentException("no " + what + " arrays given");
        }
        for (String name : given.keySet()) {
            if (!NAMES.contains(name)) throw new IllegalArgumentException(what + ": unknown array " + name + "; LeNet has " + NAMES);
        }
        for (int i = 0; i < NAMES.size(); i++) {
            float[] a = given.get(NAMES.get(i));
            if (a == null) {
                if (missingIsZero) continue;
                throw new IllegalArgumentException(what + ": missing array " + NAMES.get(i));
            }
            if (a.length != p.arrays[i].length) {
                throw new IllegalArgumentException(what + ": " + NAMES.get(i) + " has " + a.length + " values, its shape "
                        + Arrays.toString(SHAPES.get(i)) + " needs " + p.arrays[i].length);
            }
            System.arraycopy(a, 0, p.arrays[i], 0, a.length);
        }
        return p;
    }

    /** Copies of the arrays, keyed by name in {@link #NAMES} order. */
    Map<String, float[]> toMap() {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) m.put(NAMES.get(i), arrays[i].clone());
        return m;
    }
}
