package lenet.nn;

import lenet.model.Window;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The first layer's shortcut (weight and bias gradients only) agrees with the full conv2d_bp. */
class Conv2dSkipInputGradientTest {
    @ParameterizedTest(name = "N={0} C={1} OC={2} k={3} pad={4}")
    @CsvSource({"4, 1, 6, 5, 2", "3, 3, 4, 3, 1", "2, 2, 5, 1, 0", "5, 1, 2, 3, 0"})
    void weightAndBiasGradientsMatchTheFullBackward(int n, int c, int oc, int k, int pad) {
        INDArray w = Nd4j.rand(DataType.DOUBLE, oc, c, k, k).subi(0.5);
        INDArray b = Nd4j.rand(DataType.DOUBLE, oc);
        Conv2d full = new Conv2d("full", c, oc, Window.square(k, 1, pad), w.dup(), b.dup());
        Conv2d shortcut = new Conv2d("short", c, oc, Window.square(k, 1, pad), w.dup(), b.dup());
        shortcut.skipInputGradient();
        INDArray x = Nd4j.rand(DataType.DOUBLE, n, c, 9, 7);
        INDArray dOut = Nd4j.rand(DataType.DOUBLE, full.forward(x).shape()).subi(0.5);
        shortcut.forward(x);
        full.backward(dOut);
        assertNull(shortcut.backward(dOut), "no input gradient");
        for (int i = 0; i < 2; i++) {
            Compare.assertAllClose(full.params().get(i).name(), full.params().get(i).grad(), shortcut.params().get(i).grad(), 1e-12, 1e-12);
        }
    }
}
