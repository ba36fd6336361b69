package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import lenet.model.Activation;
import lenet.model.LayerSpec;
import lenet.model.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The vector-API kernels (the fast paths) against libnd4j's (the reference they replace): the
 * sigmoid and its backward, and conv1's weight gradient; the same bits in every JIT tier (a JVM that
 * only interprets computes what this compiled one does). Also the correlation's weight gradient
 * against libnd4j's full conv2d_bp.
 */
class SimdKernelsTest {
    @Test
    void theTestsRunWithTheVectorModuleSoTheFastPathIsTheOneTested() {
        assertTrue(Simd.AVAILABLE, "surefire's argLine must add jdk.incubator.vector");
    }

    /** Sizes below one vector, between vectors, and big enough to be split across threads. */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 17, 1000, 200_003})
    void sigmoidMatchesLibnd4js(int n) {
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
    void sigmoidWorksOnAViewInsideALargerArray() {
        INDArray whole = randomLogits(100, 2);
        INDArray before = whole.dup();
        INDArray part = whole.get(NDArrayIndex.interval(40, 60));
        assertTrue(Simd.dense(part));
        SimdSigmoid.forwardInPlace(part);
        assertClose(Transforms.sigmoid(before.get(NDArrayIndex.interval(40, 60)), true), part);
        assertEquals(before.get(NDArrayIndex.interval(0, 40)), whole.get(NDArrayIndex.interval(0, 40)), "left of the view untouched");
        assertEquals(before.get(NDArrayIndex.interval(60, 100)), whole.get(NDArrayIndex.interval(60, 100)), "right of the view untouched");
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 1000, 200_003})
    void sigmoidBackwardIsDOutTimesSTimesOneMinusS(int n) {
        INDArray s = Transforms.sigmoid(randomLogits(n, 3), true);
        INDArray dOut = randomLogits(n, 4);
        INDArray dInput = s.ulike();
        SimdSigmoid.backward(s, dOut, dInput);
        assertClose(s.rsub(1.0).muli(s).muli(dOut), dInput);
    }

    @Test
    void theSigmoidLayersAgree() {
        LayerSpec.Act spec = new LayerSpec.Act("act", Activation.SIGMOID);
        INDArray z = randomLogits(6 * 28 * 28 * 3, 5).reshape(3, 6, 28, 28);
        INDArray dOut = randomLogits(6 * 28 * 28 * 3, 6).reshape(3, 6, 28, 28);
        Tape vt = TestArrays.tape(Mode.TRAIN, 3, Map.of()), nt = TestArrays.tape(Mode.TRAIN, 3, Map.of());
        SimdSigmoid vector = new SimdSigmoid(spec, false);
        Sigmoid nd4j = new Sigmoid(spec, false);
        assertClose(nd4j.forward(nt, z), vector.forward(vt, z));
        // s(1 - s) dOut, from two values of s within 2.4e-7 of each other: within 2.4e-7 |dOut|
        Compare.assertAllClose("dz", nd4j.backward(nt, dOut), vector.backward(vt, dOut), 0, 2.4e-7 * dOut.amaxNumber().doubleValue());
    }

    @Test
    void arraysTheKernelsCannotReadAreRefusedNotMisread() {
        assertTrue(!Simd.dense(Nd4j.rand(DataType.FLOAT, 3, 4).transpose()), "a transposed view");
        assertTrue(!Simd.dense(Nd4j.rand(DataType.DOUBLE, 3, 4)), "double (gradient checks) is libnd4j's");
        SimdSigmoid layer = new SimdSigmoid(new LayerSpec.Act("act", Activation.SIGMOID), true);
        assertThrows(IllegalStateException.class, () -> layer.forward(TestArrays.tape(Mode.TRAIN, 4, Map.of()), Nd4j.rand(DataType.FLOAT, 3, 4).transpose()));
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

    /** conv1's weight and bias gradients: LeNet's conv1; a plane that is no whole number of vectors; no padding; a 3x3 kernel; one image; more parts than threads. */
    @ParameterizedTest(name = "N={0} {1}x{2} OC={3} k={4} pad={5}")
    @CsvSource({"40, 28, 28, 6, 5, 2", "3, 9, 7, 4, 3, 1", "5, 11, 13, 2, 5, 0", "1, 6, 6, 3, 3, 1", "70, 10, 10, 6, 5, 2"})
    void weightGradientMatchesLibnd4jsFullBackward(int n, int h, int w, int oc, int k, int pad) {
        Nd4j.getRandom().setSeed(n * 31L + h);
        LayerSpec.Conv2d spec = new LayerSpec.Conv2d("conv", 1, oc, Window.square(k, 1, pad));
        INDArray weight = Nd4j.rand(DataType.FLOAT, oc, 1, k, k).subi(0.5), bias = Nd4j.rand(DataType.FLOAT, oc);
        Map<String, INDArray> params = Map.of("conv.weight", weight, "conv.bias", bias);
        Map<String, INDArray> full = TestArrays.zerosLike(params), fast = TestArrays.zerosLike(params);
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, h, w);
        Tape fullTape = TestArrays.tape(Mode.TRAIN, n, full), fastTape = TestArrays.tape(Mode.TRAIN, n, fast);
        Conv2d fullConv = new Conv2d(spec, weight, bias);
        SimdWeightGradient fastConv = new SimdWeightGradient(spec, weight, bias);
        INDArray dOut = Nd4j.rand(DataType.FLOAT, fullConv.forward(fullTape, x).shape()).subi(0.5);
        fastConv.forward(fastTape, x);
        fullConv.backward(fullTape, dOut);
        assertNull(fastConv.backward(fastTape, dOut), "no input gradient");
        // Each gradient is a sum of about N*OH*OW terms of either sign, so float rounding is relative
        // to the sum of their sizes (at most the sum of |dOut| over a channel, as |x| <= 1), not to the result.
        double termSizes = dOut.norm1Number().doubleValue() / oc;
        for (String name : params.keySet()) Compare.assertAllClose(name, full.get(name), fast.get(name), 0, 1e-6 * termSizes);
    }

    /** The correlation (weights only, any channel count) against libnd4j's full conv2d_bp, in double. */
    @ParameterizedTest(name = "N={0} C={1} OC={2} k={3} pad={4}")
    @CsvSource({"4, 1, 6, 5, 2", "3, 3, 4, 3, 1", "2, 2, 5, 1, 0", "5, 1, 2, 3, 0"})
    void correlationWeightGradientMatchesTheFullBackward(int n, int c, int oc, int k, int pad) {
        Nd4j.getRandom().setSeed(n * 7L + c);
        LayerSpec.Conv2d spec = new LayerSpec.Conv2d("conv", c, oc, Window.square(k, 1, pad));
        INDArray weight = Nd4j.rand(DataType.DOUBLE, oc, c, k, k).subi(0.5), bias = Nd4j.rand(DataType.DOUBLE, oc);
        Map<String, INDArray> params = Map.of("conv.weight", weight, "conv.bias", bias);
        Map<String, INDArray> full = TestArrays.zerosLike(params), shortcut = TestArrays.zerosLike(params);
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, c, 9, 7);
        Tape fullTape = TestArrays.tape(Mode.TRAIN, n, full), shortTape = TestArrays.tape(Mode.TRAIN, n, shortcut);
        Conv2d fullConv = new Conv2d(spec, weight, bias);
        CorrelationWeightGradient shortConv = new CorrelationWeightGradient(spec, weight, bias);
        INDArray dOut = Nd4j.rand(DataType.DOUBLE, fullConv.forward(fullTape, x).shape()).subi(0.5);
        shortConv.forward(shortTape, x);
        fullConv.backward(fullTape, dOut);
        assertNull(shortConv.backward(shortTape, dOut), "no input gradient");
        for (String name : params.keySet()) Compare.assertAllClose(name, full.get(name), shortcut.get(name), 1e-12, 1e-12);
    }

    @Test
    void weightGradientAddsToWhatTheGradientAlreadyHolds() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        INDArray dOut = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
        INDArray once = Nd4j.zeros(DataType.FLOAT, 3, 1, 3, 3), twice = Nd4j.zeros(DataType.FLOAT, 3, 1, 3, 3);
        INDArray b1 = Nd4j.zeros(DataType.FLOAT, 3), b2 = Nd4j.zeros(DataType.FLOAT, 3);
        SimdWeightGradient.accumulate(x, dOut, 1, 1, once, b1);
        SimdWeightGradient.accumulate(x, dOut, 1, 1, twice, b2);
        SimdWeightGradient.accumulate(x, dOut, 1, 1, twice, b2);
        Compare.assertAllClose("twice", once.mul(2), twice, 0, 1e-6);
        Compare.assertAllClose("bias twice", b1.mul(2), b2, 0, 1e-6);
    }

    /**
     * The same bits whatever the JIT has compiled so far: a JVM that only interprets (-Xint) must get
     * what this one gets, for the sigmoid and for the weight gradient. (The vector API's own EXP and
     * reduceLanes do not: their compiled forms round differently, and a resumed run would then drift
     * from an uninterrupted one.)
     */
    @Test
    void anInterpretingJvmComputesTheSameBits() throws Exception {
        for (int i = 0; i < 200; i++) SimdSigmoid.forwardInPlace(randomLogits(4096, i)); // let the JIT compile them here
        for (int i = 0; i < 50; i++) weightGradientChecksum();
        assertEquals(checksums(), InterpretingJvm.output(SimdKernelsTest.class));
    }

    /** For {@link #anInterpretingJvmComputesTheSameBits}: prints the checksums of the same computations. */
    public static void main(String[] args) {
        System.out.println(checksums());
    }

    private static String checksums() {
        INDArray z = randomLogits(4099, 6);
        SimdSigmoid.forwardInPlace(z);
        return Integer.toHexString(Arrays.hashCode(z.toFloatVector())) + " " + weightGradientChecksum();
    }

    private static String weightGradientChecksum() {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 20, 1, 28, 28);
        INDArray dOut = Nd4j.rand(DataType.FLOAT, 20, 6, 28, 28).subi(0.5);
        INDArray dWeight = Nd4j.zeros(DataType.FLOAT, 6, 1, 5, 5), dBias = Nd4j.zeros(DataType.FLOAT, 6);
        SimdWeightGradient.accumulate(x, dOut, 2, 2, dWeight, dBias);
        return Integer.toHexString(Arrays.hashCode(dWeight.data().asFloat()) * 31 + Arrays.hashCode(dBias.data().asFloat()));
    }

    private static INDArray randomLogits(int n, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextGaussian() * 6);
        return Nd4j.createFromArray(v);
    }

    /** Within 2 float ulps of 1 (2.4e-7) absolutely, which is what two correctly rounded e^x implementations can differ by here. */
    private static void assertClose(INDArray expected, INDArray actual) {
        float[] e = expected.dup('c').reshape(expected.length()).toFloatVector(), a = actual.dup('c').reshape(actual.length()).toFloatVector();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], 2.4e-7f, "element " + i);
    }
}
