package lenet.engine.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import lenet.engine.Sgd;
import lenet.model.Architecture;
import lenet.model.TensorSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The flat SGD's update rule and the parameter block it runs over. */
class FlatSgdTest {
    private static ParamBlock block(long... shape) {
        return new ParamBlock(List.of(new TensorSpec("w", shape, TensorSpec.Fill.ZEROS)), DataType.FLOAT);
    }

    @Test
    void plainSgdWithoutMomentumOrDecayIsPMinusLrTimesG() {
        ParamBlock block = block(3);
        block.value("w").assign(Nd4j.createFromArray(1f, 2f, 3f));
        block.grad("w").assign(Nd4j.createFromArray(0.5f, -1f, 2f));
        new FlatSgd(block, new Sgd(0, 0)).step(0.1);
        assertArrayEquals(new float[] {0.95f, 2.1f, 2.8f}, block.value("w").toFloatVector(), 1e-7f);
    }

    @Test
    void momentumAndWeightDecayFollowPyTorchsRule() {
        // p = 1, g = 0.5, wd = 0.1, m = 0.9, lr = 0.1:
        // step 1: g' = 0.5 + 0.1*1 = 0.6, v = 0.6, p = 1 - 0.06 = 0.94
        // step 2 (same raw g): g' = 0.5 + 0.094 = 0.594, v = 0.9*0.6 + 0.594 = 1.134, p = 0.94 - 0.1134 = 0.8266
        ParamBlock block = block(1);
        block.value("w").assign(1);
        FlatSgd sgd = new FlatSgd(block, new Sgd(0.9, 0.1));
        for (int step = 0; step < 2; step++) {
            sgd.zeroGrad();
            block.grad("w").assign(0.5);
            sgd.step(0.1);
        }
        assertEquals(0.8266, block.value("w").getDouble(0), 1e-6);
        assertEquals(1.134, sgd.velocity("w").getDouble(0), 1e-6);
    }

    @Test
    void theParametersAreAlignedViewsOfTheFlatArrays() {
        List<TensorSpec> params = Architecture.lenetDefault().spec().parameters();
        ParamBlock block = new ParamBlock(params, DataType.FLOAT);
        assertEquals(61_706, params.stream().mapToLong(TensorSpec::size).sum(), "LeNet's parameter count");
        block.values().assign(2);
        block.grads().assign(3);
        for (TensorSpec t : params) {
            assertArrayEquals(t.shape(), block.value(t.name()).shape(), t.name());
            assertEquals(2.0, block.value(t.name()).minNumber().doubleValue(), t.name());
            assertEquals(3.0, block.grad(t.name()).maxNumber().doubleValue(), t.name());
            INDArray v = block.value(t.name());
            assertEquals(0, (v.data().address() + v.offset() * Float.BYTES) % 64, t.name() + " starts on a 64-byte boundary");
        }
        block.value("fc3.bias").assign(7);
        INDArray split = block.split(block.values()).get("fc3.bias");
        assertEquals(7.0, split.minNumber().doubleValue());
        assertEquals(List.copyOf(params.stream().map(TensorSpec::name).toList()), block.names());
    }

    @Test
    void velocitiesAreViewsLaidOutAsTheParameters() {
        ParamBlock block = new ParamBlock(Architecture.lenetDefault().spec().parameters(), DataType.FLOAT);
        FlatSgd sgd = new FlatSgd(block, new Sgd(0.9, 0));
        block.grads().assign(1);
        sgd.step(0.1);
        assertEquals(1.0, sgd.velocity("conv2.weight").minNumber().doubleValue());
        sgd.velocity("fc1.bias").assign(5);
        assertEquals(5.0, sgd.velocities().maxNumber().doubleValue());
    }
}
