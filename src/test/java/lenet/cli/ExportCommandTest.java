package lenet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import lenet.engine.reference.ReferenceEngine;
import lenet.io.Npz;
import lenet.model.Activation;
import lenet.model.Architecture;
import lenet.model.ModelSpec;
import lenet.model.ModelState;
import lenet.model.Norm;
import lenet.model.Pooling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code lenet export}: the file it writes, its metadata, its help, and the inputs it refuses in one line. */
class ExportCommandTest {
    @TempDir
    static Path tmp;

    /** A checkpoint of relu/max pool weights with a meta.json as training writes one. */
    static Path checkpoint;
    static ModelState state;

    @BeforeAll
    static void checkpointWithMeta() {
        ModelSpec spec = Architecture.lenet(Activation.RELU, Pooling.MAX, Norm.NONE).spec();
        state = spec.initialState(new Random(5), 1);
        String meta = """
                {"format": "lenet-checkpoint", "format_version": 2,
                 "architecture": {"name": "LeNet-5", "activation": "relu", "pooling": "max", "input_shape": [1, 28, 28], "classes": 10},
                 "epoch": 3, "seed": 11, "dataset": "mnist",
                 "config": {"lr": 0.5, "batch_size": 128},
                 "metrics": {"test_accuracy": 0.9876}}""";
        checkpoint = tmp.resolve("epoch-03.npz");
        try {
            lenet.train.Checkpoint.save(checkpoint, state.parameters(), Map.of(),
                    (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(meta));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void writesTheCheckpointAsAnOnnxFileThatRunsWithItsMetadata() throws Exception {
        Path out = tmp.resolve("model.onnx");

        Cli r = Cli.run("export", "--model", checkpoint.toString(), "--out", out.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("wrote " + out + ": LeNet-5 (relu, max pool) from " + checkpoint + ", opset 13, 61,706 parameters"), r.out());
        assertEquals("", r.problems());
        ModelSpec spec = Architecture.lenet(Activation.RELU, Pooling.MAX, Norm.NONE).spec();
        float[] images = new float[3 * 784];
        Random rng = new Random(9);
        for (int i = 0; i < images.length; i++) images[i] = rng.nextFloat();
        float[] expected = new ReferenceEngine().network(spec, state).logits(images, 3);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(out.toString(), new OrtSession.SessionOptions());
             OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[] {3, 1, 28, 28});
             OrtSession.Result result = s.run(Map.of("image", x))) {
            float[][] logits = (float[][]) result.get("logits").orElseThrow().getValue();
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, 10 * i, 10 * i + 10), logits[i], 1e-5f);
            }
            Map<String, String> meta = s.getMetadata().getCustomMetadata();
            assertEquals("epoch-03.npz", meta.get("source"));
            assertEquals("3", meta.get("epoch"));
            assertEquals("0.5", meta.get("config.lr"));
            assertEquals("0.9876", meta.get("metrics.test_accuracy"));
            assertEquals("[1,28,28]", meta.get("architecture.input_shape"));
            assertEquals("LeNet-5 (relu, max pool)", meta.get("network"));
            assertFalse(meta.containsKey("format") || meta.containsKey("format_version"), meta.toString());
            assertTrue(meta.get("input_normalization").startsWith("pixel / 255"), meta.get("input_normalization"));
            assertTrue(s.getMetadata().getDescription().contains("metrics.test_accuracy: 0.9876"), s.getMetadata().getDescription());
        }
    }

    /** A numpy.savez file of a PyTorch state_dict has no meta.json: --activation/--pool say what it is. */
    @Test
    void aCheckpointWithoutMetaTakesItsArchitectureFromTheFlags() throws Exception {
        Path golden = Path.of("src/test/resources/golden/lenet_relu_max.npz");
        Path out = tmp.resolve("pytorch.onnx");

        Cli r = Cli.run("export", "--model", golden.toString(), "--activation", "relu", "--pool", "max", "--out", out.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("LeNet-5 (relu, max pool)"), r.out());
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(out.toString(), new OrtSession.SessionOptions())) {
            assertEquals("LeNet-5 (relu, max pool)", s.getMetadata().getCustomMetadata().get("network"));
            assertFalse(s.getMetadata().getCustomMetadata().containsKey("epoch"));
        }
    }

    @Test
    void helpEndsWithExamplesAndExitCodes() {
        Cli r = Cli.run("export", "--help");

        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("--out=FILE.onnx"), r.out());
        int options = r.out().indexOf("--version"), exitCodes = r.out().indexOf("Exit codes:"), examples = r.out().indexOf("Examples:");
        assertTrue(options > 0 && exitCodes > options && examples > exitCodes, r.out());
        for (String line : r.out().split("\n")) assertTrue(line.length() <= 80, "fits 80 columns: " + line);
        assertTrue(r.out().contains("lenet export --model runs/X/epoch-07.npz --out epoch-07.onnx"), r.out());
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        Cli r = Cli.run("export", "--format", "tflite", "--model", checkpoint.toString(), "--out", tmp.resolve("x.tflite").toString());

        assertEquals(2, r.exitCode());
        assertTrue(r.problems().startsWith("lenet export: --format must be onnx, was 'tflite'"), r.err());
    }

    @Test
    void withoutOutItIsAUsageError() {
        Cli r = Cli.run("export", "--model", checkpoint.toString());

        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--out"), r.err());
    }

    @Test
    void anOutputInAMissingFolderIsRefusedInOneLine() {
        Path out = tmp.resolve("no-such-folder").resolve("m.onnx");

        Cli r = Cli.run("export", "--model", checkpoint.toString(), "--out", out.toString());

        assertEquals(1, r.exitCode());
        assertEquals(1, r.problemLines().length, r.err());
        assertTrue(r.problems().startsWith("lenet: " + out + ": cannot write, folder ") && r.err().contains("does not exist"), r.err());
    }

    @Test
    void anArchitectureThatDoesNotFitTheArraysIsRefusedInOneLine() throws IOException {
        // A state_dict whose fc1 was saved transposed, [400, 120]: not LeNet's [120, 400].
        java.util.Map<String, lenet.io.NdArray> arrays = new java.util.LinkedHashMap<>(
                lenet.TestModels.random(lenet.model.Activation.SIGMOID, lenet.model.Pooling.AVG, 1).all());
        arrays.put("fc1.weight", new lenet.io.NdArray(new long[] {400, 120}, new float[48000]));
        Path bad = tmp.resolve("transposed.npz");
        lenet.io.Npz.write(bad, arrays, java.util.Map.of());

        Cli r = Cli.run("export", "--model", bad.toString(), "--out", tmp.resolve("bad.onnx").toString());

        assertEquals(1, r.exitCode());
        assertEquals(1, r.problemLines().length, r.err());
        assertTrue(r.err().contains("transposed.npz") && r.err().contains("fc1.weight"), r.err());
        assertFalse(Files.exists(tmp.resolve("bad.onnx")));
    }

    @Test
    void aStateDictWithBatchNormArraysIsExportedAsTheBatchNormalisedLeNet() {
        // d2l's LeNet with batch norm (PyTorch's state_dict, no meta.json): its arrays say it has batch norm.
        Path bn = Path.of("src/test/resources/golden/lenet_bn_relu_max.npz");

        Cli r = Cli.run("export", "--model", bn.toString(), "--activation", "relu", "--pool", "max", "--out", tmp.resolve("bn.onnx").toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(tmp.resolve("bn.onnx")));
    }

    static Stream<Path> brokenCheckpoints() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/bad/model"))) {
            return files.sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCheckpoints")
    void everyBrokenCheckpointIsRefusedInOneLineNamingIt(Path file) {
        Path out = tmp.resolve(file.getFileName() + ".onnx");

        Cli r = Cli.run("export", "--model", file.toString(), "--out", out.toString());

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.problemLines().length, r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertTrue(r.err().contains(file.getFileName().toString()), r.err());
        assertFalse(Files.exists(out));
    }
}
