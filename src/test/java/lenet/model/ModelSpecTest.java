package lenet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import lenet.io.NdArray;
import org.junit.jupiter.api.Test;

class ModelSpecTest {
    private static final ModelSpec LENET = Architecture.lenetDefault().spec();

    @Test
    void lenetHasPyTorchsNamesShapesAndStages() {
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias",
                "fc3.weight", "fc3.bias"), LENET.parameters().stream().map(TensorSpec::name).toList());
        assertEquals(61_706, LENET.parameterCount());
        assertArrayEquals(new int[] {6, 28, 28}, LENET.stages().get(1).outputShape());
        assertArrayEquals(new int[] {16, 5, 5}, LENET.stages().get(5).outputShape());
        assertTrue(LENET.buffers().isEmpty());
    }

    /** The gain widens the layers whose outputs go through the activation; the output layer (logits) keeps plain Xavier. */
    @Test
    void theGainWidensTheWeightsBeforeAnActivationAndNotTheOutputLayer() {
        ModelState plain = LENET.initialState(new Random(3), 1);
        ModelState four = LENET.initialState(new Random(3), 4);
        for (String name : plain.parameters().keySet()) {
            float[] p = plain.parameters().get(name).data(), q = four.parameters().get(name).data();
            double gain = name.equals("fc3.weight") ? 1 : name.endsWith(".weight") ? 4 : 0;
            for (int i = 0; i < p.length; i++) assertEquals(gain == 0 ? 0 : gain * p[i], q[i], 1e-6 * Math.abs(q[i]) + 1e-12, name);
        }
        assertTrue(LENET.activated(LENET.layers().get(0)));
        assertFalse(LENET.activated(LENET.layers().get(LENET.layers().size() - 1)));
        ModelSpec bn = Architecture.lenet(Activation.SIGMOID, Pooling.AVG, Norm.BATCH).spec();
        assertTrue(bn.activated(bn.layers().get(0)), "conv1, then bn1, then the activation");
        NdArray runningVar = bn.initialState(new Random(1), 4).buffers().get("bn1.running_var");
        assertEquals(1f, runningVar.data()[0]);
    }
}
