package lenet.model;

/** What a network's output means: the most probable class, and probabilities from logits. */
public final class Outputs {
    private Outputs() {}

    /** The index of the largest value (the first of equal ones): the predicted class. */
    public static int argMax(float[] v) {
        return argMax(v, 0, v.length);
    }

    /** The same over {@code v[from .. from + n)}, as an index from 0 to n - 1. */
    public static int argMax(float[] v, int from, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) if (v[from + k] > v[from + best]) best = k;
        return best;
    }

    /**
     * softmax(z)_k = exp(z_k - max z) / sum_j exp(z_j - max z), in double: subtracting the maximum
     * changes nothing mathematically and keeps exp from overflowing.
     */
    public static float[] softmax(float[] z) {
        return softmax(z, 0, z.length);
    }

    /** softmax of {@code z[from .. from + n)}. */
    public static float[] softmax(float[] z, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) max = Math.max(max, z[from + k]);
        double[] e = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) sum += e[k] = Math.exp(z[from + k] - max);
        float[] p = new float[n];
        for (int k = 0; k < n; k++) p[k] = (float) (e[k] / sum);
        return p;
    }

    /**
     * Cross-entropy of one sample: -log softmax(z)_label = logsumexp(z) - z_label, in double (the
     * maximum subtracted first, as above).
     */
    public static double crossEntropy(float[] z, int from, int n, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) max = Math.max(max, z[from + k]);
        double sum = 0;
        for (int k = 0; k < n; k++) sum += Math.exp(z[from + k] - max);
        return Math.log(sum) + max - z[from + label];
    }

    /** The k most probable classes, most probable first. */
    public static int[] top(float[] p, int k) {
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        int[] out = new int[Math.min(k, order.length)];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }
}
