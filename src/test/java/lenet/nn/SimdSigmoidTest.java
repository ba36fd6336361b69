package lenet.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The vector-API sigmoid (the fast path) against ND4J's (the reference): the same numbers to float rounding. */
class SimdSigmoidTest {
    @Test
    void theTestsRunWithTheVectorModuleSoTheFastPathIsTheOneTested() {
        assertTrue(Simd.AVAILABLE, "surefire's argLine must add jdk.incubator.vector");
    }

    /** Sizes below one vector, between vectors, and big enough to be split across threads. */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 17, 1000, 200_003})
    void forwardMatchesNd4jsSigmoid(int n) {
        INDArray z = randomLogits(n, 1);
        INDArray expected = Transforms.sigmoid(z, true);
        SimdSigmoid.forwardInPlace(z);
        assertClose(expected, z);
    }

    @Test
    void extremeInputsSaturateWithoutNaN() {
        INDArray z = Nd4j.createFromArray(-1000f, -100f, -20f, 0f, 20f, 100f, 1000f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        SimdSigmoid.forwardInPlace(z);
        assertArrayEquals(new float[] {0f, 0f, 2.0611537e-9f, 0.5f, 1f, 1f, 1f, 0f, 1f}, z.toFloatVector(), 1e-15f);
    }

    @Test
    void worksOnAViewInsideALargerArray() {
        INDArray whole = randomLogits(100, 2);
        INDArray before = whole.dup();
        INDArray part = whole.get(NDArrayIndex.interval(40, 60));
        assertTrue(SimdSigmoid.fits(part));
        SimdSigmoid.forwardInPlace(part);
        assertClose(Transforms.sigmoid(before.get(NDArrayIndex.interval(40, 60)), true), part);
        assertEquals(before.get(NDArrayIndex.interval(0, 40)), whole.get(NDArrayIndex.interval(0, 40)), "left of the view untouched");
        assertEquals(before.get(NDArrayIndex.interval(60, 100)), whole.get(NDArrayIndex.interval(60, 100)), "right of the view untouched");
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 1000, 200_003})
    void backwardIsDOutTimesSTimesOneMinusS(int n) {
        INDArray s = Transforms.sigmoid(randomLogits(n, 3), true);
        INDArray dOut = randomLogits(n, 4);
        INDArray dInput = s.ulike();
        SimdSigmoid.backward(s, dOut, dInput);
        assertClose(s.rsub(1.0).muli(s).muli(dOut), dInput);
    }

    @Test
    void aTransposedViewIsLeftToNd4j() {
        assertTrue(!SimdSigmoid.fits(Nd4j.rand(DataType.FLOAT, 3, 4).transpose()));
        assertTrue(!SimdSigmoid.fits(Nd4j.rand(DataType.DOUBLE, 3, 4)), "double (gradient checks) goes to ND4J");
    }

    /** The scalar tail and the vector lanes are the same arithmetic, so where an element falls does not matter. */
    @Test
    void vectorLanesAndTheScalarTailGiveTheSameBits() {
        INDArray z = randomLogits(SimdSigmoid.lanes() * 64, 5);
        float[] input = z.toFloatVector();
        SimdSigmoid.forwardInPlace(z); // whole vectors only
        float[] vector = z.toFloatVector();
        for (int i = 0; i < input.length; i++) {
            assertEquals(Float.floatToIntBits(1f / (SimdSigmoid.exp(-input[i]) + 1f)), Float.floatToIntBits(vector[i]), "element " + i);
        }
    }

    /**
     * The same bits whatever the JIT has compiled so far: a JVM that only interprets (-Xint) must get
     * what this one gets. (The vector API's own EXP does not: its compiled form rounds differently,
     * and a resumed run then drifts from an uninterrupted one.)
     */
    @Test
    void anInterpretingJvmComputesTheSameBits() throws Exception {
        for (int i = 0; i < 200; i++) SimdSigmoid.forwardInPlace(randomLogits(4096, i)); // let the JIT compile it here
        INDArray z = randomLogits(4099, 6);
        SimdSigmoid.forwardInPlace(z);
        assertEquals(checksum(z), InterpretingJvm.output(SimdSigmoidTest.class));
    }

    /** For {@link #anInterpretingJvmComputesTheSameBits}: prints the checksum of the same computation. */
    public static void main(String[] args) {
        INDArray z = randomLogits(4099, 6);
        SimdSigmoid.forwardInPlace(z);
        System.out.println(checksum(z));
    }

    private static String checksum(INDArray a) {
        return Integer.toHexString(java.util.Arrays.hashCode(a.toFloatVector()));
    }

    private static INDArray randomLogits(int n, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * 6);
        return Nd4j.createFromArray(v);
    }

    /** Within 2 float ulps of 1 (2.4e-7) absolutely, which is what two correctly rounded e^x implementations can differ by here. */
    private static void assertClose(INDArray expected, INDArray actual) {
        float[] e = expected.toFloatVector(), a = actual.toFloatVector();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 2.4e-7f, "element " + i);
    }
}
