package lenet.nn;

import lenet.model.Window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** conv1's weight and bias gradients from the vector-API kernel (the fast path) against ND4J's full conv2d_bp (the reference). */
class SimdWeightGradientTest {
    /** LeNet's conv1; a plane that is not a whole number of vectors; no padding; a 3x3 kernel; one image; more parts than threads. */
    @ParameterizedTest(name = "N={0} {1}x{2} OC={3} k={4} pad={5}")
    @CsvSource({"40, 28, 28, 6, 5, 2", "3, 9, 7, 4, 3, 1", "5, 11, 13, 2, 5, 0", "1, 6, 6, 3, 3, 1", "70, 10, 10, 6, 5, 2"})
    void matchesTheFullBackward(int n, int h, int w, int oc, int k, int pad) {
        Nd4j.getRandom().setSeed(n * 31L + h);
        INDArray weight = Nd4j.rand(DataType.FLOAT, oc, 1, k, k).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, oc);
        Conv2d full = new Conv2d("full", 1, oc, Window.square(k, 1, pad), weight.dup(), bias.dup());
        Conv2d fast = new Conv2d("fast", 1, oc, Window.square(k, 1, pad), weight.dup(), bias.dup());
        fast.skipInputGradient();
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, h, w);
        INDArray dOut = Nd4j.rand(DataType.FLOAT, full.forward(x).shape()).subi(0.5);
        fast.forward(x);
        full.backward(dOut);
        assertNull(fast.backward(dOut), "no input gradient");
        // Each gradient is a sum of about N*OH*OW terms of either sign, so float rounding is relative
        // to the sum of their sizes (at most the sum of |dOut| over a channel, as |x| <= 1), not to the result.
        double termSizes = dOut.norm1Number().doubleValue() / oc;
        for (int i = 0; i < 2; i++) {
            Compare.assertAllClose(full.params().get(i).name(), full.params().get(i).grad(), fast.params().get(i).grad(), 0, 1e-6 * termSizes);
        }
    }

    @Test
    void addsToWhatTheGradientAlreadyHolds() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        INDArray dOut = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
        INDArray once = Nd4j.zeros(DataType.FLOAT, 3, 1, 3, 3), twice = Nd4j.zeros(DataType.FLOAT, 3, 1, 3, 3);
        SimdWeightGradient.accumulate(x, dOut, 1, 1, once, null);
        SimdWeightGradient.accumulate(x, dOut, 1, 1, twice, null);
        SimdWeightGradient.accumulate(x, dOut, 1, 1, twice, null);
        Compare.assertAllClose("twice", once.mul(2), twice, 0, 1e-6);
    }

    /** The same bits in a JVM that only interprets: the sums are taken in one fixed order in every JIT tier. */
    @Test
    void anInterpretingJvmComputesTheSameBits() throws Exception {
        for (int i = 0; i < 50; i++) checksum(); // let the JIT compile it here
        assertEquals(checksum(), InterpretingJvm.output(SimdWeightGradientTest.class));
    }

    public static void main(String[] args) {
        System.out.println(checksum());
    }

    private static String checksum() {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 20, 1, 28, 28);
        INDArray dOut = Nd4j.rand(DataType.FLOAT, 20, 6, 28, 28).subi(0.5);
        INDArray dWeight = Nd4j.zeros(DataType.FLOAT, 6, 1, 5, 5), dBias = Nd4j.zeros(DataType.FLOAT, 6);
        SimdWeightGradient.accumulate(x, dOut, 2, 2, dWeight, dBias);
        return Integer.toHexString(Arrays.hashCode(dWeight.data().asFloat()) * 31 + Arrays.hashCode(dBias.data().asFloat()));
    }
}
