package lenet.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class InitTest {
    /** conv2.weight [16, 6, 5, 5]: fanIn 150, fanOut 400, so a = sqrt(6 / 550) = 0.1044. */
    @Test
    void xavierUniformStaysWithinItsBoundAndFillsIt() {
        INDArray w = Init.xavierUniform(new Random(1), 16, 6, 5, 5);
        double a = Math.sqrt(6.0 / 550);
        assertTrue(w.amaxNumber().doubleValue() <= a);
        assertTrue(w.amaxNumber().doubleValue() > 0.99 * a, "2400 draws come close to the bound");
        assertEquals(0, w.meanNumber().doubleValue(), 0.01);
    }

    /** Glorot and Bengio's bound for the logistic sigmoid: the same draws, four times as wide. */
    @Test
    void aGainScalesTheSameDraws() {
        INDArray plain = Init.xavierUniform(new Random(7), 120, 400);
        INDArray four = Init.xavierUniform(new Random(7), 4.0, 120, 400);
        Compare.assertAllClose("x4", plain.mul(4), four, 1e-6, 0);
    }

    /** The gain widens the layers whose outputs go through the activation; the output layer (logits) keeps plain Xavier. */
    @Test
    void lenetWithGainFourStartsFromFourTimesTheHiddenWeightsPlainOutputWeightsAndZeroBiases() {
        LeNet plain = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(3));
        LeNet four = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(3), 4.0);
        for (int i = 0; i < plain.params().size(); i++) {
            Param p = plain.params().get(i), q = four.params().get(i);
            double gain = p.name().equals("fc3.weight") ? 1 : 4;
            Compare.assertAllClose(q.name(), p.value().mul(gain), q.value(), 1e-6, 0);
            if (p.name().endsWith(".bias")) assertEquals(0, q.value().amaxNumber().doubleValue(), q.name());
        }
    }
}
