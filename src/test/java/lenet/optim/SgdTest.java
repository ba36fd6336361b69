package lenet.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import lenet.nn.LeNet;
import lenet.nn.Param;
import lenet.nn.ParamBlock;
import lenet.nn.SoftmaxCrossEntropy;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SgdTest {
    @Test
    void plainSgdWithoutMomentumOrDecayIsPMinusLrTimesG() {
        ParamBlock block = new ParamBlock(java.util.Map.of("w", new long[] {3}));
        Param w = block.param("w");
        w.value().assign(Nd4j.createFromArray(1f, 2f, 3f));
        w.grad().assign(Nd4j.createFromArray(0.5f, -1f, 2f));
        new Sgd(block, 0, 0).step(0.1);
        assertArrayEquals(new float[] {0.95f, 2.1f, 2.8f}, w.value().toFloatVector(), 1e-7f);
    }

    @Test
    void momentumAndWeightDecayFollowPyTorchsRule() {
        // p = 1, g = 0.5, wd = 0.1, m = 0.9, lr = 0.1:
        // step 1: g' = 0.5 + 0.1*1 = 0.6, v = 0.6, p = 1 - 0.06 = 0.94
        // step 2 (same raw g): g' = 0.5 + 0.094 = 0.594, v = 0.9*0.6 + 0.594 = 1.134, p = 0.94 - 0.1134 = 0.8266
        ParamBlock block = new ParamBlock(java.util.Map.of("w", new long[] {1}));
        Param w = block.param("w");
        w.value().assign(1);
        Sgd sgd = new Sgd(block, 0.9, 0.1);
        for (int step = 0; step < 2; step++) {
            sgd.zeroGrad();
            w.grad().assign(0.5);
            sgd.step(0.1);
        }
        assertEquals(0.8266, w.value().getDouble(0), 1e-6);
        assertEquals(1.134, sgd.state().get("w").getDouble(0), 1e-6);
    }

    /** The flat optimizer is the fast path; the per-parameter one the obvious one. They must agree exactly. */
    @Test
    void flatUpdateEqualsPerParameterUpdateBitForBit() {
        LeNet flat = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(3));
        LeNet perParam = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(3));
        Sgd flatSgd = new Sgd(flat.paramBlock(), 0.9, 1e-4);
        Sgd perParamSgd = new Sgd(perParam.params(), 0.9, 1e-4);
        Random data = new Random(4);
        for (int step = 0; step < 5; step++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 28, 28);
            int[] y = data.ints(8, 0, 10).toArray();
            train(flat, flatSgd, x, y, 0.05 * (step + 1));
            train(perParam, perParamSgd, x, y, 0.05 * (step + 1));
        }
        List<Param> a = flat.params(), b = perParam.params();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).value().dup().data().asFloat(), a.get(i).value().dup().data().asFloat(), a.get(i).name());
            assertArrayEquals(perParamSgd.state().get(b.get(i).name()).dup().data().asFloat(),
                    flatSgd.state().get(a.get(i).name()).dup().data().asFloat(), "momentum." + a.get(i).name());
        }
    }

    @Test
    void blockParamsAreViewsOfTheFlatArrays() {
        LeNet net = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(1));
        ParamBlock block = net.paramBlock();
        assertEquals(61_706, net.params().stream().mapToLong(p -> p.value().length()).sum(), "LeNet's parameter count");
        block.values().assign(2);
        block.grads().assign(3);
        for (Param p : net.params()) {
            assertEquals(2.0, p.value().minNumber().doubleValue(), p.name());
            assertEquals(3.0, p.grad().maxNumber().doubleValue(), p.name());
        }
        net.params().get(9).value().assign(7); // fc3.bias
        List<INDArray> views = block.split(block.values());
        for (int i = 0; i < 9; i++) assertEquals(2.0, views.get(i).maxNumber().doubleValue(), "only fc3.bias changed");
        assertEquals(7.0, views.get(9).minNumber().doubleValue(), "split gives the same views");
    }

    @Test
    void everyParameterStartsOnA64ByteBoundary() {
        LeNet net = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(1));
        for (Param p : net.params()) {
            long valueAddress = p.value().data().address() + p.value().offset() * Float.BYTES;
            long gradAddress = p.grad().data().address() + p.grad().offset() * Float.BYTES;
            assertEquals(0, valueAddress % 64, p.name());
            assertEquals(0, gradAddress % 64, p.name() + " gradient");
        }
    }

    private static void train(LeNet net, Sgd sgd, INDArray x, int[] y, double lr) {
        SoftmaxCrossEntropy loss = new SoftmaxCrossEntropy();
        sgd.zeroGrad();
        loss.forward(net.forward(x), y);
        net.backward(loss.backward());
        sgd.step(lr);
    }
}
