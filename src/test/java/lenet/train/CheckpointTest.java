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
import lenet.TestModels;
import lenet.engine.Engine;
import lenet.engine.Engines;
import lenet.io.Json;
import lenet.model.Activation;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Pixels;
import lenet.model.Pooling;
import lenet.model.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path tmp;

    private static final ModelSpec SIGMOID_AVG = TestModels.architecture(Activation.SIGMOID, Pooling.AVG).spec();

    private static ModelState randomNet(long seed) {
        return TestModels.random(Activation.SIGMOID, Pooling.AVG, seed);
    }

    private static ObjectNode meta() {
        ObjectNode meta = Json.MAPPER.createObjectNode();
        meta.putObject("architecture").put("activation", "relu").put("pooling", "max");
        meta.put("input_normalization", Pixels.NORMALIZATION);
        meta.put("epoch", 3);
        return meta;
    }

    /** Arrays of random numbers in [0, 1) of every parameter's shape of {@code spec}. */
    private static Map<String, NdArray> randomArrays(ModelSpec spec, long seed) {
        Random rng = new Random(seed);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (TensorSpec t : spec.parameters()) {
            float[] v = new float[t.size()];
            for (int i = 0; i < v.length; i++) v[i] = rng.nextFloat();
            arrays.put(t.name(), new NdArray(t.shape(), v));
        }
        return arrays;
    }

    @Test
    void aSavedModelLoadsWithIdenticalWeightsMomentumAndPredictions() throws Exception {
        ModelState net = randomNet(7);
        Map<String, NdArray> momentum = new LinkedHashMap<>();
        randomArrays(SIGMOID_AVG, 8).forEach((name, a) -> momentum.put("momentum." + name, a));
        Path file = tmp.resolve("model.npz");
        Checkpoint.save(file, net.all(), momentum, meta());

        Checkpoint.Contents loaded = Checkpoint.load(file);
        assertEquals(Activation.RELU, loaded.architecture().activation());
        assertEquals(Pooling.MAX, loaded.architecture().pooling());
        assertEquals(Activation.SIGMOID, loaded.architecture(Activation.SIGMOID, Pooling.AVG).activation(), "a given choice wins");
        ModelState back = loaded.state(SIGMOID_AVG);
        assertEquals(net.parameters(), back.parameters());
        assertEquals(momentum, loaded.optimizerState());
        float[] images = new float[5 * 784];
        Random rng = new Random(9);
        for (int i = 0; i < images.length; i++) images[i] = rng.nextFloat();
        Engine engine = Engines.forScoring(SIGMOID_AVG, 5);
        assertArrayEquals(engine.network(SIGMOID_AVG, net).logits(images, 5), engine.network(SIGMOID_AVG, back).logits(images, 5), 0f);
    }

    @Test
    void theTenArraysOfAPyTorchStateDictSuffice() throws Exception {
        Map<String, NdArray> arrays = randomArrays(SIGMOID_AVG, 1);
        Path file = tmp.resolve("state_dict.npz");
        Npz.write(file, arrays, Map.of());
        Checkpoint.Contents loaded = Checkpoint.load(file);
        assertEquals(Activation.SIGMOID, loaded.architecture().activation(), "no meta.json: d2l's network");
        assertEquals(lenet.model.Norm.NONE, loaded.architecture().norm());
        assertTrue(loaded.optimizerState().isEmpty());
        assertArrayEquals(arrays.get("fc1.weight").data(), loaded.state(SIGMOID_AVG).parameters().get("fc1.weight").data());
    }

    @Test
    void aMissingArrayIsNamed() throws Exception {
        Map<String, NdArray> arrays = randomArrays(SIGMOID_AVG, 1);
        arrays.remove("conv2.bias");
        Path file = tmp.resolve("partial.npz");
        Npz.write(file, arrays, Map.of());
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file).state(SIGMOID_AVG));
        assertTrue(e.getMessage().startsWith(file + ": no array 'conv2.bias'"), e.getMessage());
    }

    @Test
    void aWrongShapeIsNamedWithBothShapes() throws Exception {
        Map<String, NdArray> arrays = randomArrays(SIGMOID_AVG, 1);
        arrays.put("fc1.weight", new NdArray(new long[] {400, 120}, new float[48000]));
        Path file = tmp.resolve("transposed.npz");
        Npz.write(file, arrays, Map.of());
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file).state(SIGMOID_AVG));
        assertTrue(e.getMessage().contains("'fc1.weight' has shape [400, 120], ") && e.getMessage().contains(" needs [120, 400]"), e.getMessage());
    }

    @Test
    void aFutureFormatVersionIsRefused() throws Exception {
        Path file = tmp.resolve("future.npz");
        Checkpoint.save(file, randomNet(1).all(), Map.of(), meta());
        Npz.Contents c = Npz.read(file);
        String json = new String(c.otherMembers().get("meta.json"), StandardCharsets.UTF_8).replace("\"format_version\" : " + Checkpoint.FORMAT_VERSION, "\"format_version\" : " + (Checkpoint.FORMAT_VERSION + 1));
        Npz.write(file, c.arrays(), Map.of("meta.json", json.getBytes(StandardCharsets.UTF_8)));
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("newer than this lenet reads"), e.getMessage());
    }

    @Test
    void arraysThatDoNotMatchTheChecksumAreRefused() throws Exception {
        Path file = tmp.resolve("tampered.npz");
        Checkpoint.save(file, randomNet(1).all(), Map.of(), meta());
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
        Checkpoint.save(file, randomNet(1).all(), Map.of(), meta());
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
        Checkpoint.save(run.resolve("last.npz"), randomNet(1).all(), Map.of(), meta());
        byte[] whole = Files.readAllBytes(run.resolve("last.npz"));
        // What kill -9 during a save leaves: a truncated temp file beside the last good checkpoint.
        Files.write(run.resolve(".last.npz.tmp-0123456789abcdef"), java.util.Arrays.copyOf(whole, whole.length / 2));
        assertEquals(java.util.List.of(run.resolve("last.npz")), Runs.list(tmp.resolve("runs")).stream().map(Runs.Run::checkpoint).toList());
        Checkpoint.load(run.resolve("last.npz"));
    }
    // ---- tamper evidence ----

    /** The file with meta.json rewritten by {@code edit}, arrays untouched, as a hand edit in a zip tool leaves it. */
    private Path editedMeta(String name, java.util.function.UnaryOperator<String> edit) throws Exception {
        Path file = tmp.resolve(name);
        Checkpoint.save(file, randomNet(1).all(), Map.of(), meta());
        Npz.Contents c = Npz.read(file);
        String json = edit.apply(new String(c.otherMembers().get("meta.json"), StandardCharsets.UTF_8));
        Npz.write(file, c.arrays(), Map.of("meta.json", json.getBytes(StandardCharsets.UTF_8)));
        return file;
    }

    @Test
    void anEditedActivationInMetaJsonIsRefused() throws Exception {
        Path file = editedMeta("relu-to-sigmoid.npz", json -> json.replace("\"relu\"", "\"sigmoid\""));
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("do not match the checksum"), e.getMessage());
    }

    @Test
    void anEditedSettingOrNormalisationIsRefusedToo() throws Exception {
        for (String[] edit : new String[][] {{"\"epoch\" : 3", "\"epoch\" : 4"}, {"pixel / 255", "pixel / 256"}}) {
            Path file = editedMeta("edited.npz", json -> json.replace(edit[0], edit[1]));
            LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file), edit[1]);
            assertTrue(e.getMessage().contains("do not match the checksum"), e.getMessage());
        }
    }

    @Test
    void reformattingMetaJsonKeepsTheChecksumValid() throws Exception {
        // The sum is over the content, not the layout: keys in another order, other spaces.
        Path file = editedMeta("reformatted.npz", json -> {
            try {
                com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(json);
                java.util.List<String> names = new java.util.ArrayList<>();
                tree.fieldNames().forEachRemaining(names::add);
                java.util.Collections.reverse(names);
                ObjectNode reversed = Json.MAPPER.createObjectNode();
                for (String n : names) reversed.set(n, tree.get(n));
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(reversed);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(Activation.RELU, Checkpoint.load(file).architecture().activation());
    }

    @Test
    void aDeletedChecksumIsRefused() throws Exception {
        Path file = editedMeta("no-checksum.npz", json -> {
            try {
                ObjectNode tree = (ObjectNode) Json.MAPPER.readTree(json);
                tree.remove("checksum_sha256");
                return Json.MAPPER.writeValueAsString(tree);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains("has no checksum_sha256"), e.getMessage());
    }

    @Test
    void aCheckpointOfTheFirstFormatStillLoadsWithItsArraysChecked() throws Exception {
        // Format 1 (before meta.json was covered): a SHA-256 over the arrays only.
        Map<String, NdArray> arrays = randomNet(3).all();
        ObjectNode meta = meta().put("format", Checkpoint.FORMAT).put("format_version", 1);
        meta.put("arrays_sha256", Checkpoint.checksum(arrays, null));
        Path file = tmp.resolve("format-1.npz");
        Npz.write(file, arrays, Map.of("meta.json", Json.MAPPER.writeValueAsBytes(meta)));
        assertEquals(Activation.RELU, Checkpoint.load(file).architecture().activation());

        meta.put("arrays_sha256", Checkpoint.checksum(randomNet(4).all(), null));
        Npz.write(file, arrays, Map.of("meta.json", Json.MAPPER.writeValueAsBytes(meta)));
        assertTrue(assertThrows(LenetException.class, () -> Checkpoint.load(file)).getMessage().contains("do not match the checksum"));
        meta.remove("arrays_sha256");
        Npz.write(file, arrays, Map.of("meta.json", Json.MAPPER.writeValueAsBytes(meta)));
        assertTrue(assertThrows(LenetException.class, () -> Checkpoint.load(file)).getMessage().contains("has no arrays_sha256"));
    }

    @Test
    void anUnknownActivationPoolingOrNormIsOneLineListingTheKnownOnes() throws Exception {
        String[][] cases = {{"activation", "tanh", "sigmoid, relu"}, {"pooling", "lp", "avg, max"}, {"norm", "layer", "none, batch"}};
        for (String[] c : cases) {
            ObjectNode meta = meta();
            ((ObjectNode) meta.get("architecture")).put(c[0], c[1]);
            Path file = tmp.resolve("newer-" + c[0] + ".npz");
            Checkpoint.save(file, randomNet(1).all(), Map.of(), meta); // a valid checksum, as a newer lenet would write
            LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
            assertEquals(file + ": meta.json's architecture." + c[0] + " is \"" + c[1] + "\", which this lenet does not know ("
                    + c[2] + "); was it written by a newer lenet?", e.getMessage());
        }
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheArray() throws Exception {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Map<String, NdArray> arrays = randomNet(1).all();
            float[] w = arrays.get("fc2.weight").data();
            w[17] = bad;
            Path file = tmp.resolve("non-finite.npz");
            Npz.write(file, arrays, Map.of()); // numpy.savez style: no meta.json, no checksum to catch it
            LenetException e = assertThrows(LenetException.class, () -> Checkpoint.load(file));
            assertTrue(e.getMessage().startsWith(file + ": array 'fc2.weight' holds " + bad + " at index 17 of 10080"), e.getMessage());
        }
    }
}
