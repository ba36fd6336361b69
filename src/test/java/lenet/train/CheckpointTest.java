package lenet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import lenet.LenetException;
import lenet.io.NdArray;
import lenet.io.Npz;
import lenet.nn.LeNet;
import lenet.nn.Param;
import lenet.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
    @TempDir
    Path tmp;

    private static LeNet randomNet(long seed) {
        return LeNet.create(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG, new Random(seed));
    }

    private static ObjectNode meta() {
        ObjectNode meta = Checkpoint.JSON.createObjectNode();
        meta.putObject("architecture").put("activation", "relu").put("pooling", "max");
        meta.put("epoch", 3);
        return meta;
    }

    @Test
    void aSavedModelLoadsWithIdenticalWeightsMomentumAndPredictions() throws Exception {
        LeNet net = randomNet(7);
        Sgd sgd = new Sgd(net.params(), 0.9, 0);
        sgd.state().values().forEach(v -> v.assign(Nd4j.rand(DataType.FLOAT, v.shape())));
        Path file = tmp.resolve("model.npz");
        Checkpoint.save(file, net, sgd, meta());

        Checkpoint.Contents loaded = Checkpoint.load(file);
        assertEquals(LeNet.Activation.RELU, loaded.activation());
        assertEquals(LeNet.Pooling.MAX, loaded.pooling());
        LeNet back = loaded.model(LeNet.Activation.SIGMOID, LeNet.Pooling.AVG);
        for (int i = 0; i < net.params().size(); i++) {
            Param p = net.params().get(i);
            assertEquals(p.value(), back.params().get(i).value(), p.name());
            assertEquals(sgd.state().get(p.name()), loaded.sgdState().get(p.name()), "momentum of " + p.name());
        }
        INDArray images = Nd4j.rand(DataType.FLOAT, 5, 1, 28, 28);
        assertEquals(net.forward(images), back.forward(images));
    }

    @Test
    void theTenArraysOfAPyTorchStateDictSuffice() throws Exception {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        LeNet.PARAM_SHAPES.forEach((name, shape) -> arrays.put(name, Checkpoint.toNdArray(Nd4j.rand(DataType.FLOAT, shape))));
        Path file = tmp.resolve("state_dict.npz");
        Npz.write(file, arrays, Map.of());
        Checkpoint.Contents loaded = Checkpoint.load(file);
        assertEquals(LeNet.Activation.SIGMOID, loaded.activation(), "no meta.json: the seeds' network");
        assertTrue(loaded.momentum().isEmpty());
        assertArrayEquals(arrays.get("fc1.weight").data(), loaded.weights().get("fc1.weight").data());
    }

    @Test
    void aMissingArrayIsNamed() throws Exception {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        LeNet.PARAM_SHAPES.forEach((name, shape) -> arrays.put(name, Checkpoint.toNdArray(Nd4j.zeros(DataType.FLOAT, shape))));
        arrays.remove("conv2.bias");
        Path file = tmp.resolve("partial.npz");
        Npz.write(file, arrays, Map.of());
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("no array 'conv2.bias'"), e.getMessage());
    }

    @Test
    void aWrongShapeIsNamedWithBothShapes() throws Exception {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        LeNet.PARAM_SHAPES.forEach((name, shape) -> arrays.put(name, Checkpoint.toNdArray(Nd4j.zeros(DataType.FLOAT, shape))));
        arrays.put("fc1.weight", new NdArray(new long[] {400, 120}, new float[48000]));
        Path file = tmp.resolve("transposed.npz");
        Npz.write(file, arrays, Map.of());
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("'fc1.weight' has shape [400, 120], LeNet needs [120, 400]"), e.getMessage());
    }

    @Test
    void aFutureFormatVersionIsRefused() throws Exception {
        Path file = tmp.resolve("future.npz");
        Checkpoint.save(file, randomNet(1), null, meta());
        Npz.Contents c = Npz.read(file);
        String json = new String(c.otherMembers().get("meta.json"), StandardCharsets.UTF_8).replace("\"format_version\" : 1", "\"format_version\" : 2");
        Npz.write(file, c.arrays(), Map.of("meta.json", json.getBytes(StandardCharsets.UTF_8)));
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("newer than this lenet reads"), e.getMessage());
    }

    @Test
    void arraysThatDoNotMatchTheChecksumAreRefused() throws Exception {
        Path file = tmp.resolve("tampered.npz");
        Checkpoint.save(file, randomNet(1), null, meta());
        Npz.Contents c = Npz.read(file);
        Map<String, NdArray> arrays = new LinkedHashMap<>(c.arrays());
        float[] bias = arrays.get("fc3.bias").data().clone();
        bias[0] += 1;
        arrays.put("fc3.bias", new NdArray(new long[] {10}, bias));
        Npz.write(file, arrays, c.otherMembers());
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousCheckpointWhole() throws Exception {
        Path file = tmp.resolve("last.npz");
        Checkpoint.save(file, randomNet(1), null, meta());
        byte[] good = Files.readAllBytes(file);
        // The disk "fills" after 1000 bytes of the new file: the write fails, the old file stays.
        assertThrows(RuntimeException.class, () -> lenet.io.AtomicFiles.write(file, out -> {
            out.write(new byte[1000]);
            throw new java.io.IOException("No space left on device");
        }));
        assertArrayEquals(good, Files.readAllBytes(file));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "no temp file left behind");
        }
    }

    @Test
    void aHalfWrittenTempFileFromACrashIsNeverTakenForACheckpoint() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("runs").resolve("a"));
        Checkpoint.save(run.resolve("last.npz"), randomNet(1), null, meta());
        byte[] whole = Files.readAllBytes(run.resolve("last.npz"));
        // What kill -9 during a save leaves: a truncated temp file beside the last good checkpoint.
        Files.write(run.resolve(".last.npz.tmp-0123456789abcdef"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals(java.util.List.of(run.resolve("last.npz")), Runs.list(tmp.resolve("runs")).stream().map(Runs.Run::checkpoint).toList());
        Checkpoint.load(run.resolve("last.npz"));
    }
}
