package lenet.nn;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small builders between plain Java arrays and ND4J arrays, for tests. */
final class TestArrays {
    private TestArrays() {}

    /** A 2D matrix as a single image [1, 1, H, W] in DOUBLE. */
    static INDArray image(double[][] rows) {
        return stack(new double[][][][] {{rows}});
    }

    /** [N][C][H][W] as an NCHW array in DOUBLE. */
    static INDArray stack(double[][][][] a) {
        int n = a.length, c = a[0].length, h = a[0][0].length, w = a[0][0][0].length;
        double[] flat = new double[n * c * h * w];
        int k = 0;
        for (double[][][] image : a) for (double[][] plane : image) for (double[] row : plane) for (double v : row) flat[k++] = v;
        return Nd4j.create(flat, new long[] {n, c, h, w}, 'c');
    }

    /** The NCHW array as [N][C][H][W] doubles, whatever its data type. */
    static double[][][][] toArray4(INDArray x) {
        double[] flat = Compare.flat(x);
        int n = (int) x.size(0), c = (int) x.size(1), h = (int) x.size(2), w = (int) x.size(3);
        double[][][][] a = new double[n][c][h][w];
        int k = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < c; j++) for (int y = 0; y < h; y++) for (int z = 0; z < w; z++) a[i][j][y][z] = flat[k++];
        return a;
    }

    /** One H x W plane of an NCHW array. */
    static double[][] plane(INDArray x, int n, int c) {
        return toArray4(x)[n][c];
    }

    /** Each entry plus a constant: d2l's X + 1. */
    static double[][] plus(double[][] m, double v) {
        double[][] r = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            r[i] = m[i].clone();
            for (int j = 0; j < r[i].length; j++) r[i][j] += v;
        }
        return r;
    }

    /** Standard normal entries in the given type. */
    static INDArray randn(Random rng, DataType type, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return Nd4j.create(v, shape, 'c').castTo(type);
    }

    /** Uniform entries in [lo, hi) in DOUBLE. */
    static INDArray uniform(Random rng, double lo, double hi, long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        return Nd4j.create(v, shape, 'c');
    }
}
