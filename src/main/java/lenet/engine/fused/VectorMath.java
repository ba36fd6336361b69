package lenet.engine.fused;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x, the sigmoid and their scalar twins, with the same bits in every JIT tier.
 *
 * <p>e^x is written out rather than taken from {@code VectorOperators.EXP}, whose compiled and
 * interpreted forms round differently (a resumed run would then drift from an uninterrupted one).
 * Additions, multiplications, divisions and fused multiply-adds are exact IEEE operations in the
 * interpreter, C1 and C2 alike, so what is built from them repeats itself bit for bit (and the
 * scalar twin, with {@code Math.fma}, gives the vector lanes' bits):
 *
 * <pre>
 *   clamp x to [-87, 87]                         (e^87 is still a normal float)
 *   n = round(x / ln 2),  r = x - n ln 2         (|r| <= ln2/2; ln 2 split in two for accuracy)
 *   e^r = sum r^k / k!, k = 0..7                 (Horner's rule in fused multiply-adds; the first
 *                                                 omitted term is below 1e-8 relative)
 *   e^x = e^r * 2^n                              (2^n built from its exponent bits)
 * </pre>
 *
 * The algorithm of the ND4J engine's vector sigmoid, with fused multiply-adds where that one
 * multiplies and adds (a quarter faster here; the results differ in the last bit now and then).
 * The clamp is a compare and blend: the vector max/min, which must honour -0.0 and NaN as
 * Math.max does, cost more.
 */
final class VectorMath {
    private VectorMath() {}

    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector, and so images per tile: 16 with AVX-512, 8 with AVX2. */
    static final int LANES = SPECIES.length();

    private static final float LIMIT = 87f, LOG2E = 1.44269504f, LN2_HI = 0.693145751953125f, LN2_LO = 1.42860677e-6f;
    private static final float ROUNDER = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040; // 1/k!

    static FloatVector exp(FloatVector x) {
        x = x.blend(-LIMIT, x.compare(VectorOperators.LT, -LIMIT)).blend(LIMIT, x.compare(VectorOperators.GT, LIMIT));
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector n = t.sub(ROUNDER);
        FloatVector r = n.fma(bc(-LN2_HI), x);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = r.fma(C7, C6).fma(r, bc(C5)).fma(r, bc(C4)).fma(r, bc(C3)).fma(r, bc(C2)).fma(r, bc(1f)).fma(r, bc(1f));
        // t's low mantissa bits hold n: its bits minus ROUNDER's are n as an integer
        FloatVector twoToN = t.reinterpretAsInts().sub(ROUNDER_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(twoToN);
    }

    /** The same steps on one number. */
    static float exp(float x) {
        x = x < -LIMIT ? -LIMIT : x > LIMIT ? LIMIT : x;
        float t = Math.fma(x, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, C7, C6), r, C5), r, C4), r, C3), r, C2), r, 1f), r, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) - (ROUNDER_BITS - 127)) << 23);
    }

    private static FloatVector bc(float x) {
        return FloatVector.broadcast(SPECIES, x);
    }

    /** s = 1 / (1 + e^-z). */
    static FloatVector sigmoid(FloatVector z) {
        FloatVector one = FloatVector.broadcast(SPECIES, 1f);
        return one.div(exp(z.neg()).add(one));
    }

    /** dz = (1 - s) * s * ds: the sigmoid's derivative from its output s, in the ND4J engine's order. */
    static FloatVector sigmoidBackward(FloatVector s, FloatVector ds) {
        return FloatVector.broadcast(SPECIES, 1f).sub(s).mul(s).mul(ds);
    }

    /** max(0, z). */
    static FloatVector relu(FloatVector z) {
        return z.max(0f);
    }

    /** dz = ds where the output s > 0, else 0 (0 at z = 0, as PyTorch). */
    static FloatVector reluBackward(FloatVector s, FloatVector ds) {
        return ds.blend(0f, s.compare(VectorOperators.LE, 0f));
    }
}
