package lenet.engine.fused;

import static lenet.engine.fused.VectorMath.LANES;
import static lenet.engine.fused.VectorMath.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The dense layers (PyTorch's {@code nn.Linear}, y = x W^T + b) over one tile of L images, with
 * the weight in PyTorch's layout W [out][in]. Activations are image-innermost, x [in][L] and
 * y [out][L] (one vector is one feature of L images), as the convolutions leave them:
 *
 * <pre>
 *   forward     y[j]  = b[j] + sum over i of W[j][i] * x[i]              (vectors of L images)
 *   backward    dx[i] = sum over j of W[j][i] * dy[j]
 *               dW[j][i] += sum over images n of dy[j][n] * x[n][i]     (x image-major: xT [L][inPad])
 *               db[j] += dy[j]                                            (L-lane partial sums)
 * </pre>
 *
 * The weight gradient is a small matrix product over the L images, vectorised along i, so it needs
 * x image-major; {@link #transpose} makes that copy during the forward pass.
 */
final class DenseKernels {
    private DenseKernels() {}

    private static final int L = LANES;

    private static FloatVector load(float[] a, int at) {
        return FloatVector.fromArray(SPECIES, a, at);
    }

    private static FloatVector bc(float x) {
        return FloatVector.broadcast(SPECIES, x);
    }

    /** y [out][L] = b + W x, with x [in][L] and W [out][in]. Eight outputs at a time share each load of x[i]. */
    static void forward(float[] w, float[] b, int out, int in, float[] x, float[] y) {
        int j = 0;
        for (; j + 8 <= out; j += 8) {
            FloatVector a0 = bc(b[j]), a1 = bc(b[j + 1]), a2 = bc(b[j + 2]), a3 = bc(b[j + 3]);
            FloatVector a4 = bc(b[j + 4]), a5 = bc(b[j + 5]), a6 = bc(b[j + 6]), a7 = bc(b[j + 7]);
            int r = j * in;
            for (int i = 0; i < in; i++) {
                FloatVector xi = load(x, i * L);
                a0 = xi.fma(bc(w[r + i]), a0);
                a1 = xi.fma(bc(w[r + in + i]), a1);
                a2 = xi.fma(bc(w[r + 2 * in + i]), a2);
                a3 = xi.fma(bc(w[r + 3 * in + i]), a3);
                a4 = xi.fma(bc(w[r + 4 * in + i]), a4);
                a5 = xi.fma(bc(w[r + 5 * in + i]), a5);
                a6 = xi.fma(bc(w[r + 6 * in + i]), a6);
                a7 = xi.fma(bc(w[r + 7 * in + i]), a7);
            }
            a0.intoArray(y, j * L); a1.intoArray(y, (j + 1) * L); a2.intoArray(y, (j + 2) * L); a3.intoArray(y, (j + 3) * L);
            a4.intoArray(y, (j + 4) * L); a5.intoArray(y, (j + 5) * L); a6.intoArray(y, (j + 6) * L); a7.intoArray(y, (j + 7) * L);
        }
        for (; j < out; j++) {
            FloatVector a = bc(b[j]);
            int r = j * in;
            for (int i = 0; i < in; i++) a = load(x, i * L).fma(bc(w[r + i]), a);
            a.intoArray(y, j * L);
        }
    }

    /** dx [in][L] = W^T dy, with dy [out][L]. Eight inputs at a time share each load of dy[j]. */
    static void inputGradient(float[] w, int out, int in, float[] dy, float[] dx) {
        int i = 0;
        for (; i + 8 <= in; i += 8) {
            FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int j = 0; j < out; j++) {
                FloatVector d = load(dy, j * L);
                int r = j * in + i;
                a0 = d.fma(bc(w[r]), a0);
                a1 = d.fma(bc(w[r + 1]), a1);
                a2 = d.fma(bc(w[r + 2]), a2);
                a3 = d.fma(bc(w[r + 3]), a3);
                a4 = d.fma(bc(w[r + 4]), a4);
                a5 = d.fma(bc(w[r + 5]), a5);
                a6 = d.fma(bc(w[r + 6]), a6);
                a7 = d.fma(bc(w[r + 7]), a7);
            }
            a0.intoArray(dx, i * L); a1.intoArray(dx, (i + 1) * L); a2.intoArray(dx, (i + 2) * L); a3.intoArray(dx, (i + 3) * L);
            a4.intoArray(dx, (i + 4) * L); a5.intoArray(dx, (i + 5) * L); a6.intoArray(dx, (i + 6) * L); a7.intoArray(dx, (i + 7) * L);
        }
        for (; i < in; i++) {
            FloatVector a = FloatVector.zero(SPECIES);
            for (int j = 0; j < out; j++) a = load(dy, j * L).fma(bc(w[j * in + i]), a);
            a.intoArray(dx, i * L);
        }
    }

    /**
     * gw [out][inPad] += dy xT over the tile's L images: gw[j][i] += sum over n of dy[j][n] * xT[n][i],
     * with dy [out][L] (image-innermost) and xT [L][inPad] (image-major, inPad a multiple of L).
     * Register tile: 4 outputs x 3 vectors of inputs.
     */
    static void weightGradient(float[] dy, int out, float[] xT, int inPad, float[] gw) {
        int vecs = inPad / L;
        int j = 0;
        for (; j + 4 <= out; j += 4) {
            int r0 = j * inPad, r1 = r0 + inPad, r2 = r1 + inPad, r3 = r2 + inPad;
            int v = 0;
            for (; v + 3 <= vecs; v += 3) {
                int c = v * L;
                FloatVector a00 = load(gw, r0 + c), a01 = load(gw, r0 + c + L), a02 = load(gw, r0 + c + 2 * L);
                FloatVector a10 = load(gw, r1 + c), a11 = load(gw, r1 + c + L), a12 = load(gw, r1 + c + 2 * L);
                FloatVector a20 = load(gw, r2 + c), a21 = load(gw, r2 + c + L), a22 = load(gw, r2 + c + 2 * L);
                FloatVector a30 = load(gw, r3 + c), a31 = load(gw, r3 + c + L), a32 = load(gw, r3 + c + 2 * L);
                for (int n = 0; n < L; n++) {
                    int xr = n * inPad + c;
                    FloatVector x0 = load(xT, xr), x1 = load(xT, xr + L), x2 = load(xT, xr + 2 * L);
                    FloatVector d0 = bc(dy[j * L + n]), d1 = bc(dy[(j + 1) * L + n]), d2 = bc(dy[(j + 2) * L + n]), d3 = bc(dy[(j + 3) * L + n]);
                    a00 = x0.fma(d0, a00); a01 = x1.fma(d0, a01); a02 = x2.fma(d0, a02);
                    a10 = x0.fma(d1, a10); a11 = x1.fma(d1, a11); a12 = x2.fma(d1, a12);
                    a20 = x0.fma(d2, a20); a21 = x1.fma(d2, a21); a22 = x2.fma(d2, a22);
                    a30 = x0.fma(d3, a30); a31 = x1.fma(d3, a31); a32 = x2.fma(d3, a32);
                }
                a00.intoArray(gw, r0 + c); a01.intoArray(gw, r0 + c + L); a02.intoArray(gw, r0 + c + 2 * L);
                a10.intoArray(gw, r1 + c); a11.intoArray(gw, r1 + c + L); a12.intoArray(gw, r1 + c + 2 * L);
                a20.intoArray(gw, r2 + c); a21.intoArray(gw, r2 + c + L); a22.intoArray(gw, r2 + c + 2 * L);
                a30.intoArray(gw, r3 + c); a31.intoArray(gw, r3 + c + L); a32.intoArray(gw, r3 + c + 2 * L);
            }
            for (; v < vecs; v++) {
                int c = v * L;
                FloatVector a0 = load(gw, r0 + c), a1 = load(gw, r1 + c), a2 = load(gw, r2 + c), a3 = load(gw, r3 + c);
                for (int n = 0; n < L; n++) {
                    FloatVector x = load(xT, n * inPad + c);
                    a0 = x.fma(bc(dy[j * L + n]), a0);
                    a1 = x.fma(bc(dy[(j + 1) * L + n]), a1);
                    a2 = x.fma(bc(dy[(j + 2) * L + n]), a2);
                    a3 = x.fma(bc(dy[(j + 3) * L + n]), a3);
                }
                a0.intoArray(gw, r0 + c); a1.intoArray(gw, r1 + c); a2.intoArray(gw, r2 + c); a3.intoArray(gw, r3 + c);
            }
        }
        for (; j < out; j++) {
            int r = j * inPad;
            for (int v = 0; v < vecs; v++) {
                FloatVector a = load(gw, r + v * L);
                for (int n = 0; n < L; n++) a = load(xT, n * inPad + v * L).fma(bc(dy[j * L + n]), a);
                a.intoArray(gw, r + v * L);
            }
        }
    }

    /** gb [out][L] += dy [out][L]: the bias gradient as L-lane partial sums. */
    static void biasGradient(float[] dy, int out, float[] gb) {
        for (int q = 0; q < out * L; q += L) load(gb, q).add(load(dy, q)).intoArray(gb, q);
    }

    /** Where lane k of a gather reads in x [in][L]: k rows apart. */
    private static final int[] ROW_STRIDE = rowStrides();

    private static int[] rowStrides() {
        int[] s = new int[L];
        for (int k = 0; k < L; k++) s[k] = k * L;
        return s;
    }

    /** xT [L][inPad] = x [in][L] transposed (columns in..inPad stay as they are: zero). L features of one image per gather. */
    static void transpose(float[] x, int in, float[] xT, int inPad) {
        int whole = in / L * L;
        for (int n = 0; n < L; n++) {
            for (int i = 0; i < whole; i += L) FloatVector.fromArray(SPECIES, x, i * L + n, ROW_STRIDE, 0).intoArray(xT, n * inPad + i);
            for (int i = whole; i < in; i++) xT[n * inPad + i] = x[i * L + n];
        }
    }

    /** x [count][L] = activation(x), in place. One activation per loop body (see {@link ConvKernels#activatePool}). */
    static void activate(float[] x, int count, boolean sigmoid) {
        if (sigmoid) {
            for (int q = 0; q < count * L; q += L) VectorMath.sigmoid(load(x, q)).intoArray(x, q);
        } else {
            for (int q = 0; q < count * L; q += L) VectorMath.relu(load(x, q)).intoArray(x, q);
        }
    }

    /** d [count][L] = the activation's derivative at its output s, times d, in place. */
    static void activationBackward(float[] s, float[] d, int count, boolean sigmoid) {
        for (int q = 0; q < count * L; q += L) ConvKernels.activationBackward(load(s, q), load(d, q), sigmoid).intoArray(d, q);
    }
}
