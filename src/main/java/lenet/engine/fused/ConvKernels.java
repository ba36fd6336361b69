package lenet.engine.fused;

import static lenet.engine.fused.VectorMath.LANES;
import static lenet.engine.fused.VectorMath.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * LeNet's two convolutions with their activation and 2x2 pooling, forward and backward, over one
 * tile of L images (L = {@link VectorMath#LANES}) held "image-innermost": every feature-map array is
 * [C][H][W][L], so one vector is one pixel of one channel in all L images, and each vector
 * operation does the same arithmetic for L images at once. No lane is ever wasted on padding or on
 * an edge, and the kernels never need a horizontal sum, so every image's numbers are computed
 * exactly as if it were alone.
 *
 * <p>Convolutions are cross-correlations (no kernel flip, as in PyTorch), stride 1:
 *
 * <pre>
 *   conv1   x  [1][32][32][L] (28x28 zero-padded by 2)   w1 [6][1][5][5]   ->  z1 [6][28][28][L]
 *   conv2   x2 [6][14][14][L]                            w2 [16][6][5][5]  ->  z2 [16][10][10][L]
 *   z[o][i][j] = b[o] + sum over c, u, v of w[o][c][u][v] * x[c][i + u][j + v]
 * </pre>
 *
 * Forward, each output 2x2 pooling window of a few channels is one register tile: the activation
 * and the pooling run on the sums while they are still in registers, and only the activations s
 * (for backward) and the pooled values are written. Backward, the pooling and the activation's
 * derivative run in one pass that turns s into dz in place; the weight gradients are accumulated
 * as L-lane partial sums (one lane per image slot, summed across lanes once per step), and conv2's
 * input gradient is computed as products of a weight column with dz2 that are added straight into
 * their place in dx2 (an im2col product fused with its col2im).
 */
final class ConvKernels {
    private ConvKernels() {}

    static final int L = LANES;
    static final int K = 5;                 // kernel side of both convolutions
    static final int IN = 28, PADDED = 32;  // the image, and the image with conv1's 2-pixel zero border
    static final int C1 = 6, H1 = 28, P1 = 14;
    static final int C2 = 16, H2 = 10, P2 = 5;
    static final int K1 = K * K, K2 = C1 * K * K; // weights per output channel: 25 and 150

    private static FloatVector load(float[] a, int at) {
        return FloatVector.fromArray(SPECIES, a, at);
    }

    private static FloatVector bc(float x) {
        return FloatVector.broadcast(SPECIES, x);
    }

    // ---------------------------------------------------------------- forward

    /**
     * conv1.
     *
     * <pre>
     *   in     [32][32][L]      images, zero border of 2
     *   w, b   [6][25], [6]
     *   z1     [6][28][28][L]   the sums, bias included
     * </pre>
     *
     * Register tile: 3 output channels x one 2x2 pooling window = 12 sums. For each kernel row u the
     * two input rows of the window are read once, sliding along v. The activation and pooling follow
     * in {@link #activatePool}, a pass of its own: inlined here, the compiler gave up inlining the
     * vector operations (boxing every vector), and after each window, the sigmoid's long chain of
     * dependent operations stalled the core (measured: 4x slower).
     */
    static void conv1Forward(float[] in, float[] w, float[] b, float[] z1) {
        for (int og = 0; og < C1; og += 3) {
            for (int pi = 0; pi < P1; pi++) {
                for (int pj = 0; pj < P1; pj++) {
                    int i = 2 * pi, j = 2 * pj;
                    FloatVector a00 = bc(b[og]), a01 = a00, a02 = a00, a03 = a00;
                    FloatVector a10 = bc(b[og + 1]), a11 = a10, a12 = a10, a13 = a10;
                    FloatVector a20 = bc(b[og + 2]), a21 = a20, a22 = a20, a23 = a20;
                    for (int u = 0; u < K; u++) {
                        int top = ((i + u) * PADDED + j) * L, bottom = top + PADDED * L;
                        int wk = og * K1 + u * K;
                        FloatVector t0 = load(in, top), t1 = load(in, bottom);
                        for (int v = 0; v < K; v++) {
                            FloatVector t0n = load(in, top + (v + 1) * L), t1n = load(in, bottom + (v + 1) * L);
                            FloatVector w0 = bc(w[wk + v]);
                            a00 = t0.fma(w0, a00); a01 = t0n.fma(w0, a01); a02 = t1.fma(w0, a02); a03 = t1n.fma(w0, a03);
                            FloatVector w1 = bc(w[wk + K1 + v]);
                            a10 = t0.fma(w1, a10); a11 = t0n.fma(w1, a11); a12 = t1.fma(w1, a12); a13 = t1n.fma(w1, a13);
                            FloatVector w2 = bc(w[wk + 2 * K1 + v]);
                            a20 = t0.fma(w2, a20); a21 = t0n.fma(w2, a21); a22 = t1.fma(w2, a22); a23 = t1n.fma(w2, a23);
                            t0 = t0n;
                            t1 = t1n;
                        }
                    }
                    int at = ((og * H1 + i) * H1 + j) * L, plane = H1 * H1 * L, below = H1 * L;
                    a00.intoArray(z1, at); a01.intoArray(z1, at + L); a02.intoArray(z1, at + below); a03.intoArray(z1, at + below + L);
                    at += plane;
                    a10.intoArray(z1, at); a11.intoArray(z1, at + L); a12.intoArray(z1, at + below); a13.intoArray(z1, at + below + L);
                    at += plane;
                    a20.intoArray(z1, at); a21.intoArray(z1, at + L); a22.intoArray(z1, at + below); a23.intoArray(z1, at + below + L);
                }
            }
        }
    }

    /**
     * conv2.
     *
     * <pre>
     *   x2     [6][14][14][L]
     *   w, b   [16][150], [16]
     *   z2     [16][10][10][L]  the sums, bias included
     * </pre>
     *
     * Register tile: 4 output channels x one 2x2 pooling window = 16 sums.
     */
    static void conv2Forward(float[] x2, float[] w, float[] b, float[] z2) {
        for (int og = 0; og < C2; og += 4) {
            for (int pi = 0; pi < P2; pi++) {
                for (int pj = 0; pj < P2; pj++) {
                    int i = 2 * pi, j = 2 * pj;
                    FloatVector a00 = bc(b[og]), a01 = a00, a02 = a00, a03 = a00;
                    FloatVector a10 = bc(b[og + 1]), a11 = a10, a12 = a10, a13 = a10;
                    FloatVector a20 = bc(b[og + 2]), a21 = a20, a22 = a20, a23 = a20;
                    FloatVector a30 = bc(b[og + 3]), a31 = a30, a32 = a30, a33 = a30;
                    for (int cu = 0; cu < C1 * K; cu++) {
                        int c = cu / K, u = cu - c * K;
                        int top = ((c * P1 + i + u) * P1 + j) * L, bottom = top + P1 * L;
                        int wk = og * K2 + cu * K;
                        FloatVector t0 = load(x2, top), t1 = load(x2, bottom);
                        for (int v = 0; v < K; v++) {
                            FloatVector t0n = load(x2, top + (v + 1) * L), t1n = load(x2, bottom + (v + 1) * L);
                            FloatVector w0 = bc(w[wk + v]);
                            a00 = t0.fma(w0, a00); a01 = t0n.fma(w0, a01); a02 = t1.fma(w0, a02); a03 = t1n.fma(w0, a03);
                            FloatVector w1 = bc(w[wk + K2 + v]);
                            a10 = t0.fma(w1, a10); a11 = t0n.fma(w1, a11); a12 = t1.fma(w1, a12); a13 = t1n.fma(w1, a13);
                            FloatVector w2 = bc(w[wk + 2 * K2 + v]);
                            a20 = t0.fma(w2, a20); a21 = t0n.fma(w2, a21); a22 = t1.fma(w2, a22); a23 = t1n.fma(w2, a23);
                            FloatVector w3 = bc(w[wk + 3 * K2 + v]);
                            a30 = t0.fma(w3, a30); a31 = t0n.fma(w3, a31); a32 = t1.fma(w3, a32); a33 = t1n.fma(w3, a33);
                            t0 = t0n;
                            t1 = t1n;
                        }
                    }
                    int at = ((og * H2 + i) * H2 + j) * L, plane = H2 * H2 * L, below = H2 * L;
                    a00.intoArray(z2, at); a01.intoArray(z2, at + L); a02.intoArray(z2, at + below); a03.intoArray(z2, at + below + L);
                    at += plane;
                    a10.intoArray(z2, at); a11.intoArray(z2, at + L); a12.intoArray(z2, at + below); a13.intoArray(z2, at + below + L);
                    at += plane;
                    a20.intoArray(z2, at); a21.intoArray(z2, at + L); a22.intoArray(z2, at + below); a23.intoArray(z2, at + below + L);
                    at += plane;
                    a30.intoArray(z2, at); a31.intoArray(z2, at + L); a32.intoArray(z2, at + below); a33.intoArray(z2, at + below + L);
                }
            }
        }
    }

    /**
     * Activation and 2x2 pooling, after a convolution: z [C][H][H][L] (the sums) becomes s, the
     * activations, in place, and their pooling goes to pooled [C][H/2][H/2][L] (PyTorch's flatten
     * order c, h, w for the last one, fc1's input). Average: ((s00 + s01) + s10) + s11, times 1/4
     * (exact, as PyTorch divides by the full window); max: the largest.
     *
     * <p>Two passes, not one: with four sigmoids in one loop body the compiler reaches its limit
     * on inlining and boxes the vectors (4x slower).
     */
    static void activatePool(float[] z, int channels, int h, boolean sigmoid, boolean maxPool, float[] pooled) {
        DenseKernels.activate(z, channels * h * h, sigmoid);
        int p = h / 2;
        for (int c = 0; c < channels; c++) {
            for (int pi = 0; pi < p; pi++) {
                for (int pj = 0; pj < p; pj++) {
                    int at = ((c * h + 2 * pi) * h + 2 * pj) * L, below = at + h * L;
                    FloatVector s00 = load(z, at), s01 = load(z, at + L), s10 = load(z, below), s11 = load(z, below + L);
                    FloatVector m = maxPool ? s00.max(s01).max(s10).max(s11) : s00.add(s01).add(s10).add(s11).mul(0.25f);
                    m.intoArray(pooled, ((c * p + pi) * p + pj) * L);
                }
            }
        }
    }

    static FloatVector activate(FloatVector z, boolean sigmoid) {
        return sigmoid ? VectorMath.sigmoid(z) : VectorMath.relu(z);
    }

    static FloatVector activationBackward(FloatVector s, FloatVector ds, boolean sigmoid) {
        return sigmoid ? VectorMath.sigmoidBackward(s, ds) : VectorMath.reluBackward(s, ds);
    }

    // ---------------------------------------------------------------- backward

    /**
     * Pooling backward and the activation's derivative in one pass, in place: s [C][H][H][L] (the
     * activations) becomes dz, the gradient with respect to the convolution's output, from
     * dPooled [C][H/2][H/2][L].
     *
     * <pre>
     *   average: ds = dPooled / 4 at each of the window's four pixels
     *   max:     ds = dPooled at the window's first largest pixel (row by row, as PyTorch scans it), 0 at the others
     *   dz = (1 - s) s ds  (sigmoid)   or   ds where s > 0, else 0  (ReLU)
     * </pre>
     */
    static void poolActivationBackward(float[] s, int channels, int h, float[] dPooled, boolean sigmoid, boolean maxPool) {
        int p = h / 2;
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int c = 0; c < channels; c++) {
            for (int pi = 0; pi < p; pi++) {
                for (int pj = 0; pj < p; pj++) {
                    int at = ((c * h + 2 * pi) * h + 2 * pj) * L, below = at + h * L;
                    FloatVector d = load(dPooled, ((c * p + pi) * p + pj) * L);
                    FloatVector s00 = load(s, at), s01 = load(s, at + L), s10 = load(s, below), s11 = load(s, below + L);
                    FloatVector g00, g01, g10, g11;
                    if (maxPool) {
                        FloatVector m = s00.max(s01).max(s10).max(s11);
                        VectorMask<Float> first = s00.compare(VectorOperators.EQ, m);
                        VectorMask<Float> second = s01.compare(VectorOperators.EQ, m).andNot(first);
                        VectorMask<Float> taken = first.or(second);
                        VectorMask<Float> third = s10.compare(VectorOperators.EQ, m).andNot(taken);
                        VectorMask<Float> fourth = taken.or(third).not();
                        g00 = zero.blend(d, first);
                        g01 = zero.blend(d, second);
                        g10 = zero.blend(d, third);
                        g11 = zero.blend(d, fourth);
                    } else {
                        g00 = g01 = g10 = g11 = d.mul(0.25f);
                    }
                    activationBackward(s00, g00, sigmoid).intoArray(s, at);
                    activationBackward(s01, g01, sigmoid).intoArray(s, at + L);
                    activationBackward(s10, g10, sigmoid).intoArray(s, below);
                    activationBackward(s11, g11, sigmoid).intoArray(s, below + L);
                }
            }
        }
    }

    /**
     * conv1's weight and bias gradients, added as L-lane partial sums:
     *
     * <pre>
     *   in [32][32][L]   dz1 [6][28][28][L]
     *   gw [6][25][L] += dz1[o][i][j] * in[i + u][j + v]     summed over i, j
     *   gb [6][L]     += dz1[o][i][j]
     * </pre>
     *
     * Register tile: 2 output channels x the 5 taps of one kernel row; the input row slides past.
     */
    static void conv1WeightGradient(float[] in, float[] dz1, float[] gw, float[] gb) {
        for (int og = 0; og < C1; og += 2) {
            for (int u = 0; u < K; u++) {
                int a0 = (og * K1 + u * K) * L, a1 = a0 + K1 * L;
                FloatVector p0 = load(gw, a0), p1 = load(gw, a0 + L), p2 = load(gw, a0 + 2 * L), p3 = load(gw, a0 + 3 * L), p4 = load(gw, a0 + 4 * L);
                FloatVector q0 = load(gw, a1), q1 = load(gw, a1 + L), q2 = load(gw, a1 + 2 * L), q3 = load(gw, a1 + 3 * L), q4 = load(gw, a1 + 4 * L);
                for (int i = 0; i < H1; i++) {
                    int row = (i + u) * PADDED * L;
                    int d0 = ((og * H1 + i) * H1) * L, d1 = d0 + H1 * H1 * L;
                    FloatVector x0 = load(in, row), x1 = load(in, row + L), x2 = load(in, row + 2 * L), x3 = load(in, row + 3 * L);
                    for (int j = 0; j < H1; j++) {
                        FloatVector x4 = load(in, row + (j + 4) * L);
                        FloatVector g0 = load(dz1, d0 + j * L), g1 = load(dz1, d1 + j * L);
                        p0 = g0.fma(x0, p0); p1 = g0.fma(x1, p1); p2 = g0.fma(x2, p2); p3 = g0.fma(x3, p3); p4 = g0.fma(x4, p4);
                        q0 = g1.fma(x0, q0); q1 = g1.fma(x1, q1); q2 = g1.fma(x2, q2); q3 = g1.fma(x3, q3); q4 = g1.fma(x4, q4);
                        x0 = x1;
                        x1 = x2;
                        x2 = x3;
                        x3 = x4;
                    }
                }
                p0.intoArray(gw, a0); p1.intoArray(gw, a0 + L); p2.intoArray(gw, a0 + 2 * L); p3.intoArray(gw, a0 + 3 * L); p4.intoArray(gw, a0 + 4 * L);
                q0.intoArray(gw, a1); q1.intoArray(gw, a1 + L); q2.intoArray(gw, a1 + 2 * L); q3.intoArray(gw, a1 + 3 * L); q4.intoArray(gw, a1 + 4 * L);
            }
        }
        planeSums(dz1, C1, H1 * H1, gb);
    }

    /**
     * conv2's weight and bias gradients, added as L-lane partial sums:
     *
     * <pre>
     *   x2 [6][14][14][L]   dz2 [16][10][10][L]
     *   gw [16][150][L] += dz2[o][i][j] * x2[c][i + u][j + v]     summed over i, j
     *   gb [16][L]      += dz2[o][i][j]
     * </pre>
     *
     * Register tile: 2 output channels x the 5 taps of one kernel row of one input channel.
     */
    static void conv2WeightGradient(float[] x2, float[] dz2, float[] gw, float[] gb) {
        for (int og = 0; og < C2; og += 2) {
            for (int cu = 0; cu < C1 * K; cu++) {
                int c = cu / K, u = cu - c * K;
                int a0 = (og * K2 + cu * K) * L, a1 = a0 + K2 * L;
                FloatVector p0 = load(gw, a0), p1 = load(gw, a0 + L), p2 = load(gw, a0 + 2 * L), p3 = load(gw, a0 + 3 * L), p4 = load(gw, a0 + 4 * L);
                FloatVector q0 = load(gw, a1), q1 = load(gw, a1 + L), q2 = load(gw, a1 + 2 * L), q3 = load(gw, a1 + 3 * L), q4 = load(gw, a1 + 4 * L);
                for (int i = 0; i < H2; i++) {
                    int row = ((c * P1 + i + u) * P1) * L;
                    int d0 = ((og * H2 + i) * H2) * L, d1 = d0 + H2 * H2 * L;
                    FloatVector x0 = load(x2, row), x1 = load(x2, row + L), xx2 = load(x2, row + 2 * L), x3 = load(x2, row + 3 * L);
                    for (int j = 0; j < H2; j++) {
                        FloatVector x4 = load(x2, row + (j + 4) * L);
                        FloatVector g0 = load(dz2, d0 + j * L), g1 = load(dz2, d1 + j * L);
                        p0 = g0.fma(x0, p0); p1 = g0.fma(x1, p1); p2 = g0.fma(xx2, p2); p3 = g0.fma(x3, p3); p4 = g0.fma(x4, p4);
                        q0 = g1.fma(x0, q0); q1 = g1.fma(x1, q1); q2 = g1.fma(xx2, q2); q3 = g1.fma(x3, q3); q4 = g1.fma(x4, q4);
                        x0 = x1;
                        x1 = xx2;
                        xx2 = x3;
                        x3 = x4;
                    }
                }
                p0.intoArray(gw, a0); p1.intoArray(gw, a0 + L); p2.intoArray(gw, a0 + 2 * L); p3.intoArray(gw, a0 + 3 * L); p4.intoArray(gw, a0 + 4 * L);
                q0.intoArray(gw, a1); q1.intoArray(gw, a1 + L); q2.intoArray(gw, a1 + 2 * L); q3.intoArray(gw, a1 + 3 * L); q4.intoArray(gw, a1 + 4 * L);
            }
        }
        planeSums(dz2, C2, H2 * H2, gb);
    }

    /** gb[c] += the sum over the plane of x[c] ([C][plane][L]), lane by lane. */
    private static void planeSums(float[] x, int channels, int plane, float[] gb) {
        for (int c = 0; c < channels; c++) {
            FloatVector acc = load(gb, c * L);
            int base = c * plane * L;
            for (int q = 0; q < plane; q++) acc = acc.add(load(x, base + q * L));
            acc.intoArray(gb, c * L);
        }
    }

    /**
     * conv2's input gradient, the "full" correlation of dz2 with the kernel:
     *
     * <pre>
     *   w [16][6][5][5]   dz2 [16][10][10][L]   ->   dx2 [6][14][14][L]
     *   dx2[c][i + u][j + v] += sum over o of w[o][c][u][v] * dz2[o][i][j]
     * </pre>
     *
     * For one input channel c, kernel row u and two neighbouring outputs (i, j), (i, j+1), the ten
     * sums over o (five taps v, two outputs) are a register tile; they land on six neighbouring
     * pixels of dx2's row i + u, where they are added.
     */
    static void conv2InputGradient(float[] w, float[] dz2, float[] dx2) {
        Arrays.fill(dx2, 0, C1 * P1 * P1 * L, 0f);
        for (int cu = 0; cu < C1 * K; cu++) {
            int c = cu / K, u = cu - c * K;
            for (int i = 0; i < H2; i++) {
                for (int j = 0; j < H2; j += 2) {
                    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0, a4 = a0;
                    FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0;
                    int d = (i * H2 + j) * L, wk = cu * K;
                    for (int o = 0; o < C2; o++) {
                        FloatVector d0 = load(dz2, d + o * H2 * H2 * L), d1 = load(dz2, d + o * H2 * H2 * L + L);
                        int wo = wk + o * K2;
                        FloatVector w0 = bc(w[wo]), w1 = bc(w[wo + 1]), w2 = bc(w[wo + 2]), w3 = bc(w[wo + 3]), w4 = bc(w[wo + 4]);
                        a0 = d0.fma(w0, a0); a1 = d0.fma(w1, a1); a2 = d0.fma(w2, a2); a3 = d0.fma(w3, a3); a4 = d0.fma(w4, a4);
                        b0 = d1.fma(w0, b0); b1 = d1.fma(w1, b1); b2 = d1.fma(w2, b2); b3 = d1.fma(w3, b3); b4 = d1.fma(w4, b4);
                    }
                    // output (i, j) with tap v lands on column j + v; output (i, j + 1) on j + 1 + v
                    int at = ((c * P1 + i + u) * P1 + j) * L;
                    load(dx2, at).add(a0).intoArray(dx2, at);
                    load(dx2, at + L).add(a1.add(b0)).intoArray(dx2, at + L);
                    load(dx2, at + 2 * L).add(a2.add(b1)).intoArray(dx2, at + 2 * L);
                    load(dx2, at + 3 * L).add(a3.add(b2)).intoArray(dx2, at + 3 * L);
                    load(dx2, at + 4 * L).add(a4.add(b3)).intoArray(dx2, at + 4 * L);
                    load(dx2, at + 5 * L).add(b4).intoArray(dx2, at + 5 * L);
                }
            }
        }
    }
}
