package lenet.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import lenet.data.Dataset;
import lenet.nn.LeNet;
import lenet.nn.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The network run layer by layer on one image: the stages, their shapes, receptive fields and values. */
class FeatureMapsTest {
    private static final Dataset DATA = MadeUpDigits.of(10, 1);

    private static byte[] image(int i) {
        return Arrays.copyOfRange(DATA.pixels(), i * 784, (i + 1) * 784);
    }

    @ParameterizedTest
    @CsvSource({"SIGMOID, AVG, sigmoid, average", "RELU, MAX, relu, max"})
    void stagesShapesAndReceptiveFields(LeNet.Activation act, LeNet.Pooling pool, String actName, String poolName) {
        LeNet net = LeNet.create(act, pool, new Random(5));
        List<FeatureMaps.Stage> stages = FeatureMaps.compute(net, image(3), 28);
        assertEquals(List.of("input", "conv1 + " + actName, "pool1 (" + poolName + " 2x2)", "conv2 + " + actName, "pool2 (" + poolName + " 2x2)"),
                stages.stream().map(FeatureMaps.Stage::name).toList());
        assertEquals(List.of(1, 6, 6, 16, 16), stages.stream().map(FeatureMaps.Stage::channels).toList());
        assertEquals(List.of(28, 28, 14, 10, 5), stages.stream().map(FeatureMaps.Stage::size).toList());
        // r = 1; conv 5x5: r = 1 + 4 = 5; pool 2x2 stride 2: r = 5 + 1 = 6, jump 2; conv 5x5: r = 6 + 4 * 2 = 14; pool: r = 14 + 1 * 2 = 16.
        assertEquals(List.of(1, 5, 6, 14, 16), stages.stream().map(FeatureMaps.Stage::receptiveField).toList());
        for (FeatureMaps.Stage s : stages) assertEquals(s.channels() * s.size() * s.size(), s.values().length, s.name());
    }

    @Test
    void theLastStageIsWhatTheNetworkFlattens() {
        LeNet net = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(5));
        List<FeatureMaps.Stage> stages = FeatureMaps.compute(net, image(4), 28);
        float[] x = new float[784];
        for (int i = 0; i < 784; i++) x[i] = (image(4)[i] & 0xFF) / 255f;
        INDArray upToPool2 = new Sequential(net.layers().subList(0, 6)).forward(Nd4j.create(x, new long[] {1, 1, 28, 28}, 'c'));
        assertArrayEquals(Report.floats(upToPool2), stages.get(4).values(), 0f);
        assertArrayEquals(x, stages.get(0).values(), 0f);
    }

    @Test
    void sigmoidMapsLieBetweenZeroAndOne() {
        LeNet net = LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(5));
        for (FeatureMaps.Stage s : FeatureMaps.compute(net, image(7), 28)) {
            assertTrue(s.min() >= 0 && s.max() <= 1 && s.max() > s.min(), s.name() + ": " + s.min() + ".." + s.max());
        }
    }
}
