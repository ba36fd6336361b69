package lenet.engine.nd4j;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import lenet.model.LayerSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stride-1 convolution with ONE input channel (LeNet's conv1) as the first layer of a network
 * being trained: forward is {@link Conv2d}'s, backward gives dweight and dbias only (returns null),
 * computed with the JDK's vector API:
 *
 * <pre>
 *   x [N, 1, H, W]   dOut [N, OC, OH, OW]   OH = H + 2p - KH + 1, OW = W + 2p - KW + 1
 *   dWeight[o, 0, u, v] = sum over n, i, j of dOut[n, o, i, j] * xpad[n, i + u, j + v]
 *   dBias[o]            = sum over n, i, j of dOut[n, o, i, j]
 * </pre>
 *
 * For each image and each column shift v, the padded image is copied with its rows cut to OW
 * columns starting at column v ({@code shifted[v]}, (H + 2p) x OW). Row i + u of it, flattened from
 * row u on, lines up element for element with the flattened dOut plane: so each of the KH*KW
 * weight gradients is one dot product of OH*OW numbers between two contiguous arrays, which the
 * vector API runs 16 at a time.
 *
 * <p>Why: libnd4j has no weight-only backward; the correlation {@link CorrelationWeightGradient}
 * runs instead first transposes dOut, and was the costliest part of a LeNet step (6.5 ms of about 30
 * at batch 256; this kernel: 1.7-2.1 ms). The sums are taken in a fixed order (images split into
 * fixed parts, one per thread, added in part order), so a run repeats itself exactly.
 */
final class SimdWeightGradient extends Conv2d {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Images per part: each part is summed on its own, then the parts in order. */
    private static final int MIN_IMAGES_PER_PART = 16;

    SimdWeightGradient(LayerSpec.Conv2d spec, INDArray weight, INDArray bias) {
        super(spec, weight, bias);
        if (spec.inChannels() != 1 || spec.window().strideH() != 1 || spec.window().strideW() != 1) {
            throw new IllegalArgumentException(spec.name() + ": the vector kernel needs one input channel and stride 1");
        }
    }

    @Override
    public INDArray backward(Tape tape, INDArray dOut) { // dOut [N, OC, OH, OW] -> no dx
        INDArray x = tape.saved(this, INDArray.class);
        accumulate(Simd.requireDense("input", x), Simd.requireDense("dOut", dOut), spec.window().padH(), spec.window().padW(),
                tape.grad(spec.name() + ".weight"), tape.grad(spec.name() + ".bias"));
        return null;
    }

    /** Adds dWeight [OC, 1, KH, KW] and dBias [OC] into the given gradient arrays. */
    static void accumulate(INDArray x, INDArray dOut, int padH, int padW, INDArray dWeight, INDArray dBias) {
        int n = (int) x.size(0), h = (int) x.size(2), w = (int) x.size(3);
        int oc = (int) dOut.size(1), oh = (int) dOut.size(2), ow = (int) dOut.size(3);
        int kh = h + 2 * padH - oh + 1, kw = w + 2 * padW - ow + 1;
        FloatBuffer xs = x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        FloatBuffer gs = dOut.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        int xBase = (int) x.offset(), gBase = (int) dOut.offset();
        Shape s = new Shape(h, w, padH, padW, oc, oh, ow, kh, kw);

        int parts = Math.max(1, Math.min(Nd4j.getEnvironment().maxThreads(), n / MIN_IMAGES_PER_PART));
        double[][] partSums = new double[parts][];
        IntStream.range(0, parts).parallel().forEach(p -> partSums[p] = sumImages(xs, xBase, gs, gBase, s,
                (int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)));
        float[] total = new float[oc * kh * kw + oc];
        for (double[] part : partSums) for (int k = 0; k < total.length; k++) total[k] += (float) part[k];

        dWeight.addi(Nd4j.create(Arrays.copyOf(total, oc * kh * kw), new long[] {oc, 1, kh, kw}, 'c'));
        dBias.addi(Nd4j.create(Arrays.copyOfRange(total, oc * kh * kw, total.length), new long[] {oc}, 'c'));
    }

    private record Shape(int h, int w, int padH, int padW, int oc, int oh, int ow, int kh, int kw) {}

    /** The sums over images [from, to): dWeight in [o][u][v] order, then dBias[o]; per-image sums added in double. */
    private static double[] sumImages(FloatBuffer xs, int xBase, FloatBuffer gs, int gBase, Shape s, int from, int to) {
        int paddedH = s.h + 2 * s.padH, plane = s.oh * s.ow;
        float[] image = new float[s.h * s.w];
        float[][] shifted = new float[s.kw][paddedH * s.ow];
        float[] g = new float[plane];
        float[] lanes = new float[SPECIES.length()];
        float[] five = new float[5];
        double[] sums = new double[s.oc * s.kh * s.kw + s.oc];
        for (int img = from; img < to; img++) {
            xs.get(xBase + img * s.h * s.w, image);
            // The cells outside the image are the same for every image: zero since allocation.
            for (int v = 0; v < s.kw; v++) {
                int firstJ = Math.max(0, s.padW - v), endJ = Math.min(s.ow, s.w + s.padW - v);
                if (endJ <= firstJ) continue;
                for (int row = 0; row < s.h; row++) {
                    System.arraycopy(image, row * s.w + firstJ + v - s.padW, shifted[v], (row + s.padH) * s.ow + firstJ, endJ - firstJ);
                }
            }
            for (int o = 0; o < s.oc; o++) {
                gs.get(gBase + (img * s.oc + o) * plane, g);
                for (int u = 0; u < s.kh; u++) {
                    int at = (o * s.kh + u) * s.kw;
                    if (s.kw == 5) {
                        dots5(g, shifted, u * s.ow, plane, lanes, five);
                        for (int v = 0; v < 5; v++) sums[at + v] += five[v];
                    } else {
                        for (int v = 0; v < s.kw; v++) sums[at + v] += dot(g, shifted[v], u * s.ow, plane, lanes);
                    }
                }
                sums[s.oc * s.kh * s.kw + o] += sum(g, lanes);
            }
        }
        return sums;
    }

    /**
     * The five dot products of {@code a} with b[0..4] (from {@code offset}) at once, for 5-wide
     * kernels such as LeNet's: each chunk of {@code a} is loaded once for five multiply-adds, and the
     * five independent sums keep the multiply-add unit busy. Each sum is taken in the same order
     * in every run: one running vector per product, then its lanes in order.
     */
    private static void dots5(float[] a, float[][] b, int offset, int length, float[] lanesOut, float[] out) {
        FloatVector s0 = FloatVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0, s4 = s0;
        float[] b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4];
        int lanes = SPECIES.length(), k = 0;
        for (; k <= length - lanes; k += lanes) {
            FloatVector av = FloatVector.fromArray(SPECIES, a, k);
            int j = offset + k;
            s0 = av.fma(FloatVector.fromArray(SPECIES, b0, j), s0);
            s1 = av.fma(FloatVector.fromArray(SPECIES, b1, j), s1);
            s2 = av.fma(FloatVector.fromArray(SPECIES, b2, j), s2);
            s3 = av.fma(FloatVector.fromArray(SPECIES, b3, j), s3);
            s4 = av.fma(FloatVector.fromArray(SPECIES, b4, j), s4);
        }
        out[0] = lanesInOrder(s0, lanesOut);
        out[1] = lanesInOrder(s1, lanesOut);
        out[2] = lanesInOrder(s2, lanesOut);
        out[3] = lanesInOrder(s3, lanesOut);
        out[4] = lanesInOrder(s4, lanesOut);
        for (; k < length; k++) {
            for (int v = 0; v < 5; v++) out[v] = Math.fma(a[k], b[v][offset + k], out[v]);
        }
    }

    private static float lanesInOrder(FloatVector v, float[] lanesOut) {
        v.intoArray(lanesOut, 0);
        float total = 0;
        for (float x : lanesOut) total += x;
        return total;
    }

    /**
     * sum over k < length of a[k] * b[offset + k], in float, in a fixed order. (Not reduceLanes: its
     * order of additions is unspecified, and its compiled form can differ from its interpreted one.)
     */
    private static float dot(float[] a, float[] b, int offset, int length, float[] lanesOut) {
        FloatVector acc0 = FloatVector.zero(SPECIES), acc1 = FloatVector.zero(SPECIES);
        int lanes = SPECIES.length(), k = 0;
        for (; k <= length - 2 * lanes; k += 2 * lanes) {
            acc0 = FloatVector.fromArray(SPECIES, a, k).fma(FloatVector.fromArray(SPECIES, b, offset + k), acc0);
            acc1 = FloatVector.fromArray(SPECIES, a, k + lanes).fma(FloatVector.fromArray(SPECIES, b, offset + k + lanes), acc1);
        }
        if (k <= length - lanes) {
            acc0 = FloatVector.fromArray(SPECIES, a, k).fma(FloatVector.fromArray(SPECIES, b, offset + k), acc0);
            k += lanes;
        }
        float total = lanesInOrder(acc0.add(acc1), lanesOut);
        for (; k < length; k++) total = Math.fma(a[k], b[offset + k], total);
        return total;
    }

    /** sum of a[k], one running sum per lane (more accurate than one), in a fixed order. */
    private static float sum(float[] a, float[] lanesOut) {
        FloatVector acc = FloatVector.zero(SPECIES);
        int lanes = SPECIES.length(), k = 0;
        for (; k <= a.length - lanes; k += lanes) acc = acc.add(FloatVector.fromArray(SPECIES, a, k));
        float total = lanesInOrder(acc, lanesOut);
        for (; k < a.length; k++) total += a[k];
        return total;
    }
}
